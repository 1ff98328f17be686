//===- TileTraits.cpp - Op traits of the tile dialect ---------------------===//

#include "tile/Dialect/Tile/TileTraits.h"
#include "tile/Dialect/Tile/TileTypes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

static std::string shapeString(RankedTensorType type) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::interleave(
      type.getShape(), os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return out;
}

static LogicalResult verifyTileType(Operation *op, Type type, StringRef kind,
                                    unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return success();
  if (tensor.getRank() == 0)
    return op->emitOpError() << kind << " #" << index
                             << " is a 0-d tensor: use a scalar instead";
  if (!llvm::all_of(tensor.getShape(), tile::isPowerOfTwo))
    return op->emitOpError() << kind << " #" << index << " has shape "
                             << shapeString(tensor)
                             << ": tile extents must be static powers of two";
  return success();
}

LogicalResult mlir::tile::verifyPowerOfTwoShapes(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(verifyTileType(op, type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(verifyTileType(op, type, "result", i)))
      return failure();
  return success();
}
