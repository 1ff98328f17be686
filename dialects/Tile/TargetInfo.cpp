//===- TargetInfo.cpp - num_warps, the target and what it can do ----------===//

#include "tile/Dialect/Tile/TargetInfo.h"
#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tile;

/// The GPUs the compiler targets: compute capability and the "a" suffix.
static constexpr struct {
  unsigned computeCapability;
  bool archSpecific;
} kKnownTargets[] = {
    {80, false}, {86, false}, {89, false}, {90, false}, {90, true}};

bool mlir::tile::isValidNumWarps(int64_t numWarps) {
  return numWarps > 0 && numWarps <= 32 && llvm::isPowerOf2_64(numWarps);
}

static ModuleOp enclosingModule(Operation *op) {
  if (auto module = dyn_cast<ModuleOp>(op))
    return module;
  return op->getParentOfType<ModuleOp>();
}

/// The integer module attribute `name` of the module holding `op`, or
/// `fallback`.
static unsigned moduleInteger(Operation *op, StringRef name,
                              unsigned fallback) {
  if (ModuleOp module = enclosingModule(op))
    if (auto attr = module->getAttrOfType<IntegerAttr>(name))
      return attr.getInt();
  return fallback;
}

unsigned mlir::tile::getNumWarps(Operation *op) {
  return moduleInteger(op, TileDialect::kNumWarpsAttrName, kDefaultNumWarps);
}

unsigned mlir::tile::getNumStages(Operation *op) {
  return moduleInteger(op, TileDialect::kNumStagesAttrName, kDefaultNumStages);
}

unsigned mlir::tile::getMinProgramsPerSM(Operation *op) {
  return moduleInteger(op, TileDialect::kMinProgramsPerSMAttrName, 0);
}

bool mlir::tile::getPipelineOtherLoads(Operation *op) {
  ModuleOp module = enclosingModule(op);
  return module && module->hasAttr(TileDialect::kPipelineOtherLoadsAttrName);
}

bool mlir::tile::getSharedImmediateOffsets(Operation *op) {
  ModuleOp module = enclosingModule(op);
  return module &&
         module->hasAttr(TileDialect::kSharedImmediateOffsetsAttrName);
}

bool mlir::tile::getWarpgroupMma(Operation *op) {
  ModuleOp module = enclosingModule(op);
  return module && module->hasAttr(TileDialect::kWarpgroupMmaAttrName);
}

std::optional<PipelineCopiesAt>
mlir::tile::parsePipelineCopiesAt(StringRef text) {
  for (PipelineCopiesAt at : {PipelineCopiesAt::Top,
                              PipelineCopiesAt::AfterFirstDot,
                              PipelineCopiesAt::Bottom})
    if (text == stringifyPipelineCopiesAt(at))
      return at;
  return std::nullopt;
}

StringRef mlir::tile::stringifyPipelineCopiesAt(PipelineCopiesAt at) {
  return pipelineCopiesAtName(at);
}

PipelineCopiesAt mlir::tile::getPipelineCopiesAt(Operation *op) {
  if (ModuleOp module = enclosingModule(op))
    if (auto attr = module->getAttrOfType<StringAttr>(
            TileDialect::kPipelineCopiesAtAttrName))
      if (std::optional<PipelineCopiesAt> at =
              parsePipelineCopiesAt(attr.getValue()))
        return *at;
  return PipelineCopiesAt::Top;
}

StringRef mlir::tile::getTarget(Operation *op) {
  if (ModuleOp module = enclosingModule(op))
    if (auto attr =
            module->getAttrOfType<StringAttr>(TileDialect::kTargetAttrName))
      return attr.getValue();
  return kDefaultTarget;
}

/// "90a" after the prefix: the compute capability and the "a" of a known
/// GPU, or nullopt.
static std::optional<std::pair<unsigned, bool>>
parseVersion(StringRef version) {
  unsigned cc = 0;
  if (version.consumeInteger(10, cc))
    return std::nullopt;
  bool archSpecific = version.consume_front("a");
  if (!version.empty())
    return std::nullopt;
  for (const auto &known : kKnownTargets)
    if (known.computeCapability == cc && known.archSpecific == archSpecific)
      return std::make_pair(cc, archSpecific);
  return std::nullopt;
}

std::optional<TargetInfo> TargetInfo::fromTarget(StringRef target) {
  if (!target.consume_front("cuda:"))
    return std::nullopt;
  if (auto version = parseVersion(target))
    return TargetInfo(version->first, version->second);
  return std::nullopt;
}

std::optional<TargetInfo> TargetInfo::fromArch(StringRef arch) {
  if (!arch.consume_front("sm_"))
    return std::nullopt;
  if (auto version = parseVersion(arch))
    return TargetInfo(version->first, version->second);
  return std::nullopt;
}

TargetInfo TargetInfo::get(Operation *op) {
  if (std::optional<TargetInfo> info = fromTarget(mlir::tile::getTarget(op)))
    return *info;
  // Unverified IR with an unknown target: the default, as if it had none.
  return *fromTarget(kDefaultTarget);
}

std::string TargetInfo::getTarget() const {
  return "cuda:" + std::to_string(computeCapability) +
         (archSpecific ? "a" : "");
}

std::string TargetInfo::getArch() const {
  return "sm_" + std::to_string(computeCapability) + (archSpecific ? "a" : "");
}

bool mlir::tile::applyTargetOption(Operation *module, StringRef arch) {
  if (arch.empty())
    return true;
  std::optional<TargetInfo> given = TargetInfo::fromArch(arch);
  if (!given) {
    module->emitError("target must be sm_90a, sm_90, sm_89, sm_86 or sm_80, "
                      "got '")
        << arch << "'";
    return false;
  }
  module->setAttr(TileDialect::kTargetAttrName,
                  StringAttr::get(module->getContext(), given->getTarget()));
  return true;
}
