//===- KernelBuilder.cpp - The DSL's kernel, arguments and errors ---------===//

#include "DSLImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Verifier.h"
#include "tile/Dialect/Tile/TileDialect.h"

using namespace mlir;

namespace tile::dsl {

static thread_local std::vector<KernelBuilder *> builderStack;

KernelBuilder *KernelBuilder::current() {
  return builderStack.empty() ? nullptr : builderStack.back();
}

KernelBuilder::Impl &detail::impl() {
  KernelBuilder *builder = KernelBuilder::current();
  if (!builder) {
    llvm::errs() << "tile::dsl: a DSL function was called with no "
                    "KernelBuilder in scope\n";
    std::abort();
  }
  return builder->impl();
}

Location KernelBuilder::Impl::location(Loc loc) {
  return FileLineColLoc::get(&ctx, loc.file, loc.line, 0);
}

InFlightDiagnostic KernelBuilder::Impl::error(Loc loc) {
  failed = true;
  return emitError(location(loc));
}

KernelBuilder::KernelBuilder(MLIRContext &ctx, std::string name,
                             KernelOptions options, Loc loc)
    : state(std::make_unique<Impl>(ctx)) {
  ctx.loadDialect<mlir::tile::TileDialect, arith::ArithDialect,
                  func::FuncDialect, math::MathDialect, scf::SCFDialect>();
  Impl &s = *state;
  s.name = name;
  Location where = s.location(loc);
  s.module = ModuleOp::create(where);
  Builder b(&ctx);
  (*s.module)->setAttr(mlir::tile::TileDialect::kNumWarpsAttrName,
                    b.getI32IntegerAttr(options.numWarps));
  (*s.module)->setAttr(mlir::tile::TileDialect::kTargetAttrName,
                    b.getStringAttr(options.target));
  if (options.numStages != 0)
    (*s.module)->setAttr(mlir::tile::TileDialect::kNumStagesAttrName,
                      b.getI32IntegerAttr(options.numStages));
  if (options.pipelineOtherLoads)
    (*s.module)->setAttr(mlir::tile::TileDialect::kPipelineOtherLoadsAttrName,
                      b.getUnitAttr());
  if (!options.pipelineCopiesAt.empty())
    (*s.module)->setAttr(mlir::tile::TileDialect::kPipelineCopiesAtAttrName,
                         b.getStringAttr(options.pipelineCopiesAt));
  if (options.sharedImmediateOffsets)
    (*s.module)->setAttr(
        mlir::tile::TileDialect::kSharedImmediateOffsetsAttrName,
        b.getUnitAttr());
  if (options.warpgroupMma)
    (*s.module)->setAttr(mlir::tile::TileDialect::kWarpgroupMmaAttrName,
                         b.getUnitAttr());
  if (options.minProgramsPerSM)
    (*s.module)->setAttr(mlir::tile::TileDialect::kMinProgramsPerSMAttrName,
                         b.getI32IntegerAttr(int32_t(options.minProgramsPerSM)));
  s.builder.setInsertionPointToEnd(s.module->getBody());
  s.func = func::FuncOp::create(s.builder, where, name,
                                b.getFunctionType({}, {}));
  s.body = s.func.addEntryBlock();
  s.builder.setInsertionPointToStart(s.body);
  builderStack.push_back(this);
}

KernelBuilder::~KernelBuilder() {
  auto it = std::find(builderStack.begin(), builderStack.end(), this);
  if (it != builderStack.end())
    builderStack.erase(it);
}

static Value addArgument(KernelBuilder::Impl &s, const std::string &name,
                         Type type, unsigned divisibility, Loc loc) {
  if (s.body->getNumArguments() != 0 &&
      s.builder.getInsertionBlock() != s.body) {
    s.error(loc) << "argument '" << name << "' declared inside a loop";
    return Value();
  }
  Location where = NameLoc::get(StringAttr::get(&s.ctx, name), s.location(loc));
  NamedAttrList attrs;
  if (divisibility) {
    if (divisibility & (divisibility - 1)) {
      s.error(loc) << "divisibility of '" << name
                   << "' must be a power of two, got " << divisibility;
      return Value();
    }
    attrs.set(mlir::tile::TileDialect::kDivisibilityAttrName,
              s.builder.getI32IntegerAttr(divisibility));
  }
  // insertArgument keeps the function type and argument attributes in step.
  unsigned index = s.body->getNumArguments();
  if (failed(s.func.insertArgument(index, type,
                                   attrs.getDictionary(&s.ctx), where))) {
    s.error(loc) << "cannot add argument '" << name << "'";
    return Value();
  }
  BlockArgument arg = s.body->getArgument(index);
  return Value(arg);
}

Value KernelBuilder::pointer(const std::string &name, DType pointee,
                             unsigned divisibility, Loc loc) {
  Type element = state->type(pointee);
  return addArgument(*state, name, mlir::tile::PtrType::get(element),
                     divisibility, loc);
}

Value KernelBuilder::scalar(const std::string &name, DType type,
                            unsigned divisibility, Loc loc) {
  Type t = state->type(type);
  if (divisibility && !isa<IntegerType>(t)) {
    state->error(loc) << "divisibility applies to integer arguments, not '"
                      << name << "' of type " << t;
    return Value();
  }
  return addArgument(*state, name, t, divisibility, loc);
}

FailureOr<OwningOpRef<ModuleOp>> KernelBuilder::finish() {
  Impl &s = *state;
  auto it = std::find(builderStack.begin(), builderStack.end(), this);
  if (it != builderStack.end())
    builderStack.erase(it);
  if (s.failed || !s.module)
    return failure();
  s.builder.setInsertionPointToEnd(s.body);
  func::ReturnOp::create(s.builder, s.func.getLoc());
  if (failed(verify(*s.module)))
    return failure();
  return std::move(s.module);
}

} // namespace tile::dsl
