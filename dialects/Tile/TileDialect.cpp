//===- TileDialect.cpp - The tile dialect ---------------------------------===//
//
// Registration, constant materialization and the verification of the
// dialect's discardable attributes (`tile.num_warps`, `tile.target`,
// `tile.divisibility`).
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::tile;

#include "tile/Dialect/Tile/TileDialect.cpp.inc"
#include "tile/Dialect/Tile/TileEnums.cpp.inc"

namespace {
/// Prints layouts as `#blocked`, `#slice` aliases at the top of a module.
struct TileOpAsmInterface : OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (isa<BlockedLayoutAttr>(attr)) {
      os << "blocked";
      return AliasResult::FinalAlias;
    }
    if (isa<SliceLayoutAttr>(attr)) {
      os << "slice";
      return AliasResult::FinalAlias;
    }
    return AliasResult::NoAlias;
  }
};
} // namespace

void TileDialect::initialize() {
  registerTypes();
  registerAttributes();
  addInterfaces<TileOpAsmInterface>();
  addOperations<
#define GET_OP_LIST
#include "tile/Dialect/Tile/TileOps.cpp.inc"
      >();
}

Operation *TileDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || !arith::ConstantOp::isBuildableWith(typed, type))
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

LogicalResult TileDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name == kNumWarpsAttrName) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || !isValidNumWarps(value.getInt()))
      return op->emitError() << "'" << name
                             << "' must be an integer power of two in [1, 32], got "
                             << attr.getValue();
    return success();
  }
  if (name == kNumStagesAttrName) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || value.getInt() < 1 || value.getInt() > 8)
      return op->emitError() << "'" << name
                             << "' must be an integer from 1 to 8, got "
                             << attr.getValue();
    return success();
  }
  if (name == kMinProgramsPerSMAttrName) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || !isValidMinProgramsPerSM(value.getInt()))
      return op->emitError() << "'" << name
                             << "' must be an integer from 1 to "
                             << kMaxProgramsPerSM << ", got "
                             << attr.getValue();
    return success();
  }
  if (name == kPipelineOtherLoadsAttrName ||
      name == kSharedImmediateOffsetsAttrName ||
      name == kWarpgroupMmaAttrName) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' is a unit attribute, got "
                             << attr.getValue();
    return success();
  }
  if (name == kPipelineCopiesAtAttrName) {
    auto value = dyn_cast<StringAttr>(attr.getValue());
    if (!value || !parsePipelineCopiesAt(value.getValue()))
      return op->emitError() << "'" << name
                             << "' must be \"top\", \"after_first_dot\" or "
                                "\"bottom\", got "
                             << attr.getValue();
    return success();
  }
  if (name == kTargetAttrName) {
    auto value = dyn_cast<StringAttr>(attr.getValue());
    if (!value || !TargetInfo::fromTarget(value.getValue()))
      return op->emitError()
             << "'" << name << "' must be one of \"cuda:80\", \"cuda:86\", "
             << "\"cuda:89\", \"cuda:90\", \"cuda:90a\", got " << attr.getValue();
    return success();
  }
  if (name == kLayoutHintAttrName) {
    if (!isa<BlockedLayoutAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be a #tile.blocked layout, got "
                             << attr.getValue();
    return success();
  }
  if (name == kSharedBytesAttrName) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || value.getInt() < 0)
      return op->emitError() << "'" << name
                             << "' must be a non-negative integer, got "
                             << attr.getValue();
    return success();
  }
  if (name == kDivisibilityAttrName)
    return op->emitError() << "'" << name
                           << "' is an attribute of kernel arguments, not of ops";
  return op->emitError() << "unknown tile attribute '" << name << "'";
}

LogicalResult TileDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name != kDivisibilityAttrName)
    return op->emitError() << "unknown tile argument attribute '" << name
                           << "' on argument #" << argIndex;
  auto value = dyn_cast<IntegerAttr>(attr.getValue());
  if (!value || !isPowerOfTwo(value.getInt()))
    return op->emitError() << "'" << name << "' of argument #" << argIndex
                           << " must be a positive integer power of two, got "
                           << attr.getValue();
  Region &region = op->getRegion(regionIndex);
  if (region.empty() || argIndex >= region.getNumArguments())
    return success(); // A declaration: nothing to check the type against.
  Type type = region.getArgument(argIndex).getType();
  if (!isa<PtrType, IntegerType, IndexType>(type))
    return op->emitError() << "'" << name << "' of argument #" << argIndex
                           << " applies to pointers and integers, not " << type;
  return success();
}
