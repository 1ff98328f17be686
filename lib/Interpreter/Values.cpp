//===- Values.cpp - How the interpreter holds values ----------------------===//

#include "Values.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

ElemType interp::classify(Type type) {
  Type element = getElementTypeOrSelf(type);
  ElemType result;
  if (auto integer = dyn_cast<IntegerType>(element)) {
    if (integer.isSignless() && integer.getWidth() <= 64)
      result = {ElemKind::Int, integer.getWidth()};
  } else if (isa<IndexType>(element)) {
    result = {ElemKind::Int, 64};
  } else if (element.isF32()) {
    result = {ElemKind::F32, 32};
  } else if (element.isF64()) {
    result = {ElemKind::F64, 64};
  } else if (element.isF16()) {
    result = {ElemKind::F16, 16};
  } else if (element.isBF16()) {
    result = {ElemKind::BF16, 16};
  } else if (isa<Float8E4M3FNType>(element)) {
    result = {ElemKind::F8E4M3FN, 8};
  } else if (isa<Float8E5M2Type>(element)) {
    result = {ElemKind::F8E5M2, 8};
  } else if (isa<Float4E2M1FNType>(element)) {
    result = {ElemKind::F4E2M1FN, 4};
  } else if (auto ptr = dyn_cast<mlir::tile::PtrType>(element)) {
    ElemType pointee = classify(ptr.getPointeeType());
    if (pointee.kind != ElemKind::Unknown && pointee.kind != ElemKind::Ptr)
      result = {ElemKind::Ptr, 64, pointee.kind, pointee.width};
  }
  return result;
}

unsigned interp::memoryBytes(ElemKind kind, unsigned width) {
  switch (kind) {
  case ElemKind::Int:
    // i1 is stored as a byte, as LLVM does.
    if (width == 1)
      return 1;
    return (width == 8 || width == 16 || width == 32 || width == 64) ? width / 8
                                                                     : 0;
  case ElemKind::F32:
    return 4;
  case ElemKind::F64:
  case ElemKind::Ptr:
    return 8;
  case ElemKind::F16:
  case ElemKind::BF16:
    return 2;
  case ElemKind::F8E4M3FN:
  case ElemKind::F8E5M2:
    return 1;
  case ElemKind::F4E2M1FN:
  case ElemKind::Unknown:
    return 0;
  }
  return 0;
}

SmallVector<int64_t, 4> interp::shapeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return SmallVector<int64_t, 4>(tensor.getShape());
  return {};
}

int64_t interp::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t extent : shape)
    n *= extent;
  return n;
}

std::string interp::formatIndex(int64_t linear, ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "the scalar";
  SmallVector<int64_t, 4> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  std::string text = "[";
  for (size_t d = 0; d < index.size(); ++d) {
    if (d)
      text += ", ";
    text += std::to_string(index[d]);
  }
  return text + "]";
}
