//===- TileTypes.cpp - Types of the tile dialect --------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tile;

#define GET_TYPEDEF_CLASSES
#include "tile/Dialect/Tile/TileTypes.cpp.inc"

void TileDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "tile/Dialect/Tile/TileTypes.cpp.inc"
      >();
}

LogicalResult PtrType::verify(function_ref<InFlightDiagnostic()> emitError,
                              Type pointeeType) {
  if (!isa<IntegerType, FloatType>(pointeeType))
    return emitError() << "!tile.ptr points to integers or floats, not "
                       << pointeeType;
  return success();
}

Type mlir::tile::getPointeeTypeOrTensor(Type type) {
  if (auto ptr = dyn_cast<PtrType>(type))
    return ptr.getPointeeType();
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    if (auto ptr = dyn_cast<PtrType>(tensor.getElementType()))
      return tensor.clone(ptr.getPointeeType());
  return nullptr;
}

Type mlir::tile::getI1SameShape(Type type) {
  auto i1 = IntegerType::get(type.getContext(), 1);
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.clone(i1);
  return i1;
}

//===----------------------------------------------------------------------===//
// MemDescType
//===----------------------------------------------------------------------===//

Type MemDescType::parse(AsmParser &parser) {
  SmallVector<int64_t> shape;
  Type elementType;
  Attribute encoding;
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(elementType) || parser.parseComma() ||
      parser.parseAttribute(encoding) || parser.parseGreater())
    return {};
  return parser.getChecked<MemDescType>(parser.getContext(), shape,
                                        elementType, encoding);
}

void MemDescType::print(AsmPrinter &printer) const {
  printer << "<";
  for (int64_t extent : getShape())
    printer << extent << "x";
  printer << getElementType() << ", " << getEncoding() << ">";
}

LogicalResult MemDescType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ArrayRef<int64_t> shape, Type elementType,
                                  Attribute encoding) {
  if ((shape.size() != 2 && shape.size() != 3) || shape[0] < 1)
    return emitError() << "!tile.memdesc is stages x a 1-D or 2-D tile (2 "
                          "or 3 extents, at least 1 stage), got "
                       << shape.size() << " extents";
  for (int64_t e : shape.drop_front())
    if (e <= 0 || !llvm::isPowerOf2_64(e))
      return emitError() << "!tile.memdesc tile extents must be powers of "
                            "two, got "
                         << e;
  if (!elementType.isIntOrFloat() || elementType.getIntOrFloatBitWidth() < 8)
    return emitError() << "!tile.memdesc holds integers or floats of 8 bits "
                          "or more, not "
                       << elementType;
  auto shared = dyn_cast<SharedLayoutAttr>(encoding);
  if (!shared || shared.getOrder().size() != shape.size() - 1)
    return emitError() << "!tile.memdesc of a rank-" << shape.size() - 1
                       << " tile needs a #tile.shared encoding of that rank, "
                          "got "
                       << encoding;
  return success();
}

int64_t MemDescType::getStageBytes() const {
  int64_t elements = 1;
  for (int64_t e : getTileShape())
    elements *= e;
  return elements *
         (getElementType().getIntOrFloatBitWidth() / 8);
}
