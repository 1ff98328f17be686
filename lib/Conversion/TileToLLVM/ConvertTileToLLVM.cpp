//===- ConvertTileToLLVM.cpp - The convert-tile-to-llvm pass --------------===//
//
// Computes the facts the patterns need (vector widths from the axis info,
// read-only loads, shared memory), then runs one dialect conversion with
// every op family's patterns and the structural conversions of func and scf,
// and finally marks the kernels for NVVM.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "SharedMemoryEffects.h"
#include "tile/Analysis/AxisInfo.h"
#include "tile/Conversion/TileToLLVM.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::tile {
#define GEN_PASS_DEF_CONVERTTILETOLLVMPASS
#define GEN_PASS_DEF_TILETESTSHAREDALLOCATIONPASS
#include "tile/Conversion/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

/// Bytes of dynamic shared memory an op needs as scratch (0 for most): the
/// same element sizes (sharedMemoryBytes) and reduce layout
/// (getReduceScratch) the lowerings address.
static int64_t scratchBytes(Operation *op) {
  auto bytesOf = [](Type type) {
    auto tile = cast<RankedTensorType>(type);
    return tile.getNumElements() * sharedMemoryBytes(tile.getElementType());
  };
  if (auto reshape = dyn_cast<ReshapeOp>(op))
    return isInPlaceReshape(reshape) ? 0 : bytesOf(reshape.getSrc().getType());
  if (auto convert = dyn_cast<ConvertLayoutOp>(op)) {
    auto src = cast<RankedTensorType>(convert.getSrc().getType());
    return convertsWithinWarps(src, convert.getType()) ? 0 : bytesOf(src);
  }
  if (auto reduce = dyn_cast<ReduceOp>(op)) {
    std::optional<ReduceScratch> scratch = getReduceScratch(reduce);
    return scratch ? scratch->bytes : 0;
  }
  return 0;
}

SharedAllocation mlir::tile::computeSharedAllocation(Operation *kernel) {
  // Program order, and where the rings live: from the first local_alloc to
  // the end of the last op (a loop, say) that uses one. tile-pipeline waits
  // for every copy and places a barrier right after its loop, so scratch
  // users past that point reuse the rings' bytes; users inside the range
  // get bytes of their own, before the rings. A ring allocated inside a loop
  // is live through the whole of the outermost such loop: its next
  // iteration's first copies would overwrite what a scratch user after the
  // pipelined loop, in this iteration, may still be reading (racecheck
  // finds it: grouped_gemm_i8's loop over groups around its K loop).
  llvm::DenseMap<Operation *, int64_t> position;
  int64_t next = 0, firstAlloc = -1, lastUse = -1;
  kernel->walk<WalkOrder::PreOrder>([&](Operation *op) {
    position[op] = next++;
  });
  SmallVector<LocalAllocOp> allocs;
  kernel->walk([&](LocalAllocOp alloc) {
    allocs.push_back(alloc);
    int64_t at = position[alloc];
    Operation *outerLoop = nullptr;
    for (Operation *op = alloc->getParentOp(); op && op != kernel;
         op = op->getParentOp())
      if (isa<LoopLikeOpInterface>(op))
        outerLoop = op;
    if (outerLoop) {
      at = position[outerLoop];
      outerLoop->walk([&](Operation *inner) {
        lastUse = std::max(lastUse, position.lookup(inner));
      });
    }
    firstAlloc = firstAlloc < 0 ? at : std::min(firstAlloc, at);
    for (Operation *user : alloc->getUsers()) {
      // A use inside a loop lives until the loop's end: take the op of the
      // alloc's block that holds the use, to its last nested op.
      Operation *holder = alloc->getBlock()->findAncestorOpInBlock(*user);
      if (!holder)
        holder = user;
      holder->walk([&](Operation *inner) {
        lastUse = std::max(lastUse, position.lookup(inner));
      });
    }
  });
  SharedAllocation allocation;
  int64_t during = 0, before = 0;
  kernel->walk([&](Operation *op) {
    int64_t bytes = scratchBytes(op);
    if (bytes == 0)
      return;
    int64_t at = position[op];
    if (!allocs.empty() && at >= firstAlloc && at <= lastUse)
      during = std::max(during, bytes);
    if (!allocs.empty() && at < firstAlloc)
      before = std::max(before, bytes);
    allocation.scratchBytes = std::max(allocation.scratchBytes, bytes);
  });
  int64_t end = during;
  for (LocalAllocOp alloc : allocs) {
    end = llvm::alignTo(end, getSharedBufferAlignment(alloc));
    allocation.bufferOffsets.push_back({alloc, end});
    // Scratch bytes [0, before) used before the rings' life overlap this
    // ring: its copies wait for that use's readers.
    if (before > end)
      allocation.afterScratch.insert(alloc);
    MemDescType type = alloc.getType();
    end += type.getNumStages() * type.getStageBytes();
  }
  allocation.totalBytes = std::max(end, allocation.scratchBytes);
  return allocation;
}

TileToLLVMTypeConverter::TileToLLVMTypeConverter(MLIRContext *ctx) {
  addConversion([](Type type) { return type; });
  addConversion([ctx](PtrType) -> Type {
    return LLVM::LLVMPointerType::get(ctx, 1);
  });
  // A shared buffer ring is its base address.
  addConversion([ctx](MemDescType) -> Type {
    return LLVM::LLVMPointerType::get(ctx, 3);
  });
  // An async token carries no data: an i32 nothing reads.
  addConversion([ctx](AsyncTokenType) -> Type {
    return IntegerType::get(ctx, 32);
  });
  addConversion([this](RankedTensorType type, SmallVectorImpl<Type> &results)
                    -> std::optional<LogicalResult> {
    if (!getLayout(type))
      return failure();
    Type element = convertType(type.getElementType());
    if (!element)
      return failure();
    results.append(getNumElemsPerThread(type), element);
    return success();
  });
}

namespace {

/// The kernel argument a pointer value is derived from, if any.
BlockArgument basePointer(Value ptr) {
  while (Operation *def = ptr.getDefiningOp()) {
    if (isa<AddPtrOp, SplatOp, BroadcastOp, ExpandDimsOp, ConvertLayoutOp,
            ReshapeOp>(def))
      ptr = def->getOperand(0);
    else
      return {};
  }
  return dyn_cast<BlockArgument>(ptr);
}

/// Elements per access of a load or store: what contiguity, alignment, the
/// mask's constancy, the layout's run per thread and 16 bytes all allow.
unsigned vectorWidth(Operation *op, Value ptr, Value mask,
                     const AxisInfoAnalysis &axis) {
  auto type = dyn_cast<RankedTensorType>(ptr.getType());
  if (!type)
    return 1;
  unsigned fastest = getLayoutOrder(getLayout(type)).front();
  Type pointee = cast<PtrType>(type.getElementType()).getPointeeType();
  int64_t bytes = std::max<int64_t>(1, pointee.getIntOrFloatBitWidth() / 8);
  AxisInfo info = axis.get(ptr);
  int64_t vec = std::min({info.contiguity[fastest],
                          std::max<int64_t>(1, info.divisibility[fastest] / bytes),
                          int64_t(16) / bytes,
                          getContiguousRegisters(type, fastest),
                          type.getDimSize(fastest)});
  if (mask)
    vec = std::min(vec, axis.get(mask).constancy[fastest]);
  return std::max<int64_t>(vec, 1);
}

bool isLegalType(Type type) {
  return !isa<RankedTensorType, PtrType, MemDescType, AsyncTokenType>(type);
}

/// A kernel becomes an `llvm.func` with the NVVM kernel ABI: `nvvm.kernel`, a
/// fixed block size (`nvvm.reqntid`), the programs an SM should hold
/// (`nvvm.minctasm`, from `tile.min_programs_per_sm`), pointers `noalias`
/// and as aligned as `tile.divisibility` says, and `tile.shared_bytes` for
/// the launcher.
struct KernelToLLVMFunc : OpConversionPattern<func::FuncOp> {
  KernelToLLVMFunc(TypeConverter &converter, MLIRContext *ctx,
                   const LoweringFacts &facts,
                   const llvm::DenseMap<Operation *, int64_t> &sharedBytes)
      : OpConversionPattern(converter, ctx), facts(facts),
        sharedBytes(sharedBytes) {}

  LogicalResult
  matchAndRewrite(func::FuncOp func, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (func.isExternal())
      return func.emitError("external functions are not supported: kernels "
                            "cannot call functions yet");
    if (func.getNumResults() != 0)
      return func.emitError("a kernel returns nothing; it stores its results");
    TypeConverter::SignatureConversion signature(func.getNumArguments());
    SmallVector<Type> params;
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      Type converted = getTypeConverter()->convertType(type);
      if (!converted || isa<RankedTensorType>(type))
        return func.emitError("kernel argument #")
               << i << " has type " << type
               << "; kernels take pointers and scalars";
      signature.addInputs(i, converted);
      params.push_back(converted);
    }
    MLIRContext *ctx = rewriter.getContext();
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), params);
    auto llvmFunc = LLVM::LLVMFuncOp::create(rewriter, func.getLoc(),
                                             func.getSymName(), type);
    llvmFunc->setAttr("nvvm.kernel", rewriter.getUnitAttr());
    llvmFunc->setAttr("nvvm.reqntid",
                      rewriter.getDenseI32ArrayAttr(
                          {int32_t(facts.numWarps * kWarpSize), 1, 1}));
    if (facts.minProgramsPerSM)
      llvmFunc->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                        rewriter.getI32IntegerAttr(facts.minProgramsPerSM));
    llvmFunc->setAttr(TileDialect::kSharedBytesAttrName,
                      rewriter.getI32IntegerAttr(sharedBytes.lookup(func)));
    for (unsigned i = 0; i < params.size(); ++i) {
      auto div = func.getArgAttrOfType<IntegerAttr>(
          i, TileDialect::kDivisibilityAttrName);
      if (!isa<LLVM::LLVMPointerType>(params[i])) {
        // The code assumes an integer's divisibility (vector widths, masks
        // constant over runs) but LLVM has no attribute for it: it stays a
        // tile fact, which getKernelInfo hands the launcher to check.
        if (div && isa<IntegerType>(params[i]))
          llvmFunc.setArgAttr(i, TileDialect::kDivisibilityAttrName, div);
        continue;
      }
      llvmFunc.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                          rewriter.getUnitAttr());
      if (div)
        llvmFunc.setArgAttr(i, LLVM::LLVMDialect::getAlignAttrName(),
                            rewriter.getI64IntegerAttr(
                                std::min<int64_t>(div.getInt(), 256)));
    }
    rewriter.inlineRegionBefore(func.getBody(), llvmFunc.getBody(),
                                llvmFunc.end());
    if (failed(rewriter.convertRegionTypes(&llvmFunc.getBody(),
                                           *getTypeConverter(), &signature)))
      return failure();
    // Programmatic dependent launch (sm_90+): the kernel touches no memory
    // before the kernel before it on the stream has completed and its writes
    // are visible, so it may be launched while that one still runs. Launched
    // the ordinary way it has no prerequisite grid and the wait returns at
    // once (measured free on the H200, bench/RESULTS.md 2026-11-30). No
    // griddepcontrol.launch_dependents: the next kernel is then let in when
    // this one exits, which already overlaps its launch with this one's
    // tail; an explicit trigger bought nothing more and cost 25% of a
    // 64-thread-program copy's bandwidth, wherever it was placed.
    // getKernelInfo reports the wait (KernelInfo::waitsForPrerequisites).
    if (facts.target.supportsGridDependencyControl()) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&llvmFunc.getBody().front());
      NVVM::GriddepcontrolOp::create(rewriter, func.getLoc(),
                                     NVVM::GridDepActionKind::wait);
    }
    rewriter.eraseOp(func);
    return success();
  }

  const LoweringFacts &facts;
  const llvm::DenseMap<Operation *, int64_t> &sharedBytes;
};

/// The last resort for an op on tiles no family lowers: say which and why,
/// instead of the conversion driver's bare "failed to legalize".
struct ReportUnsupported : ConversionPattern {
  ReportUnsupported(TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/0, ctx) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<ValueRange>,
                  ConversionPatternRewriter &) const override {
    // Ops some family lowers report their own reasons when they cannot.
    if (isa<TileDialect>(op->getDialect()) || isa<arith::ConstantOp>(op) ||
        op->hasTrait<mlir::OpTrait::Elementwise>())
      return failure();
    bool onTiles = llvm::any_of(op->getOperandTypes(), isTileOrPtr) ||
                   llvm::any_of(op->getResultTypes(), isTileOrPtr);
    if (!onTiles && !isa<TileDialect>(op->getDialect()))
      return failure();
    return op->emitOpError("has no GPU lowering for tiles yet");
  }
  static bool isTileOrPtr(Type type) {
    return isa<RankedTensorType, PtrType>(type);
  }
};

struct ReturnToLLVM : OpConversionPattern<func::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<LLVM::ReturnOp>(op, ValueRange());
    return success();
  }
};

/// The byte ranges [begin, end) of a kernel's shared buffers, by the offset
/// each starts at: the scratch space from 0, each ring from its offset.
using SharedBuffers = llvm::DenseMap<int64_t, std::pair<int64_t, int64_t>>;

/// Whether two accesses may touch the same bytes with one of them writing.
bool conflict(const SharedAccess &a, const SharedAccess &b,
              const SharedBuffers &buffers) {
  if (!a.writes && !b.writes)
    return false;
  if (!a.buffer || !b.buffer)
    return true;
  auto ra = buffers.find(*a.buffer), rb = buffers.find(*b.buffer);
  if (ra == buffers.end() || rb == buffers.end())
    return true;
  return ra->second.first < rb->second.second &&
         rb->second.first < ra->second.second;
}

/// Removes the barriers that order nothing: a barrier goes when no access
/// since the previous barrier kept (or the kernel's start) conflicts with an
/// access before the next barrier (or the kernel's end): the same bytes,
/// one of them writing (SharedBuffers: the scratch space and each ring are
/// apart, unless the scratch space reaches into a ring). So a conversion's
/// first barrier goes after ldmatrix reads of a ring, and a barrier with
/// nothing shared before it goes as before. (The barrier before a
/// conversion's or a reduction's stores protects what earlier readers of
/// the same bytes still read.) A block nested in a loop or a branch starts
/// and ends as if shared memory were touched anywhere, and an op with
/// regions touches anywhere.
void removeRedundantBarriers(Block &block, bool entered,
                             const SharedBuffers &buffers) {
  SharedAccess anywhere{/*writes=*/true, std::nullopt};
  // The accesses between consecutive barriers, and the barriers.
  SmallVector<SmallVector<SharedAccess>> segments(1);
  SmallVector<Operation *> barriers;
  if (entered)
    segments[0].push_back(anywhere);
  for (Operation &op : block) {
    if (isa<NVVM::Barrier0Op>(op)) {
      barriers.push_back(&op);
      segments.emplace_back();
      continue;
    }
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        removeRedundantBarriers(nested, /*entered=*/true, buffers);
    llvm::append_range(segments.back(), getSharedAccesses(&op));
  }
  // Leaving the block other than by returning: anything may follow.
  if (!isa<LLVM::ReturnOp>(block.getTerminator()))
    segments.back().push_back(anywhere);
  SmallVector<SharedAccess> before = segments[0];
  for (auto [i, barrier] : llvm::enumerate(barriers)) {
    ArrayRef<SharedAccess> after = segments[i + 1];
    bool needed = llvm::any_of(before, [&](const SharedAccess &a) {
      return llvm::any_of(after, [&](const SharedAccess &b) {
        return conflict(a, b, buffers);
      });
    });
    if (needed) {
      before.assign(after.begin(), after.end());
      continue;
    }
    barrier->erase();
    llvm::append_range(before, after);
  }
}

struct ConvertTileToLLVMPass
    : mlir::tile::impl::ConvertTileToLLVMPassBase<ConvertTileToLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    // The `target` option, when given, sets the module's GPU; the lowering
    // reads only `tile.target`.
    if (!applyTargetOption(module, target))
      return signalPassFailure();
    // The `min-programs-per-sm` option, when given, sets the module's bound.
    if (minProgramsPerSM != 0) {
      if (!isValidMinProgramsPerSM(minProgramsPerSM)) {
        module.emitError("min-programs-per-sm must be from 1 to ")
            << kMaxProgramsPerSM << ", got " << unsigned(minProgramsPerSM);
        return signalPassFailure();
      }
      module->setAttr(TileDialect::kMinProgramsPerSMAttrName,
                      IntegerAttr::get(IntegerType::get(ctx, 32),
                                       int64_t(unsigned(minProgramsPerSM))));
    }
    if (sharedImmediateOffsets)
      module->setAttr(TileDialect::kSharedImmediateOffsetsAttrName,
                      UnitAttr::get(ctx));
    LoweringFacts facts(TargetInfo::get(module), getNumWarps(module),
                        getMinProgramsPerSM(module));
    // A bound the SM cannot hold would be capped by ptxas without a word.
    if (unsigned programs = facts.minProgramsPerSM) {
      unsigned threads = facts.numWarps * kWarpSize;
      const TargetInfo &gpu = facts.target;
      if (programs > gpu.getMaxProgramsPerSM() ||
          programs * threads > gpu.getMaxThreadsPerSM()) {
        module.emitError("tile.min_programs_per_sm = ")
            << programs << " with " << threads << " threads a program asks "
            << "an SM for " << programs * threads << " threads; "
            << gpu.getArch() << " holds at most " << gpu.getMaxThreadsPerSM()
            << " threads and " << gpu.getMaxProgramsPerSM() << " programs";
        return signalPassFailure();
      }
    }

    // Facts from the tile IR, before it goes away.
    WalkResult unlaid = module.walk([&](Operation *op) {
      for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                          op->getResultTypes()))
        if (isa<RankedTensorType>(type) && !getLayout(type)) {
          op->emitOpError("has a tile without a layout; run tile-coalesce and "
                          "tile-assign-layouts first");
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (unlaid.wasInterrupted())
      return signalPassFailure();

    SmallVector<func::FuncOp> kernels;
    llvm::DenseMap<Operation *, int64_t> kernelShared;
    llvm::StringMap<SharedBuffers> kernelBuffers; // by kernel name
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      kernels.push_back(func);
      AxisInfoAnalysis axis(func);
      llvm::DenseSet<BlockArgument> written;
      // A store whose pointer cannot be traced to a kernel argument (carried
      // by a loop, chosen by a select) may write anything: then no load is
      // read-only.
      bool untracedStore = false;
      func.walk([&](Operation *op) {
        if (auto store = dyn_cast<StoreOp>(op)) {
          facts.vectorWidth[op] =
              vectorWidth(op, store.getPtr(), store.getMask(), axis);
          BlockArgument base = basePointer(store.getPtr());
          if (base && base.getOwner()->isEntryBlock() &&
              isa<func::FuncOp>(base.getOwner()->getParentOp()))
            written.insert(base);
          else
            untracedStore = true;
        }
        if (auto load = dyn_cast<LoadOp>(op))
          facts.vectorWidth[op] =
              vectorWidth(op, load.getPtr(), load.getMask(), axis);
        if (auto copy = dyn_cast<AsyncCopyOp>(op))
          facts.vectorWidth[op] =
              vectorWidth(op, copy.getPtr(), copy.getMask(), axis);
      });
      func.walk([&](LoadOp load) {
        BlockArgument base = basePointer(load.getPtr());
        if (!untracedStore && base && base.getOwner()->isEntryBlock() &&
            isa<func::FuncOp>(base.getOwner()->getParentOp()) &&
            !written.contains(base))
          facts.readOnlyLoads.insert(load);
      });
      findFlushSafeMath(func, facts);
      SharedAllocation allocation = computeSharedAllocation(func);
      SharedBuffers &buffers = kernelBuffers[func.getSymName()];
      buffers[0] = {0, allocation.scratchBytes};
      facts.barrierBeforeAlloc.insert(allocation.afterScratch.begin(),
                                      allocation.afterScratch.end());
      for (auto [alloc, offset] : allocation.bufferOffsets) {
        facts.sharedOffset[alloc] = offset;
        auto type = cast<MemDescType>(alloc->getResult(0).getType());
        int64_t end = offset + type.getNumStages() * type.getStageBytes();
        // A ring at 0 (no scratch during its life) shares the scratch's
        // entry: the two ranges become one.
        auto [it, added] = buffers.try_emplace(offset, offset, end);
        if (!added)
          it->second.second = std::max(it->second.second, end);
      }
      kernelShared[func] = allocation.totalBytes;
      // A kernel the GPU cannot launch is refused here, where it is built,
      // not by the driver at its first launch.
      if (allocation.totalBytes > facts.target.getMaxSharedBytesPerProgram()) {
        InFlightDiagnostic error = func.emitError("kernel '")
            << func.getSymName() << "' needs " << allocation.totalBytes
            << " bytes of shared memory, more than the "
            << facts.target.getMaxSharedBytesPerProgram()
            << " a program may have on " << facts.target.getArch() << " (";
        if (size_t rings = allocation.bufferOffsets.size()) {
          auto first = cast<MemDescType>(
              allocation.bufferOffsets.front().first->getResult(0).getType());
          error << rings << (rings == 1 ? " ring" : " rings")
                << " of buffers, the first of " << first.getNumStages()
                << " stages, and ";
        }
        error << allocation.scratchBytes
              << " bytes of scratch); fewer pipeline stages (num_stages) or "
                 "smaller tiles would fit";
        return signalPassFailure();
      }
    }

    TileToLLVMTypeConverter converter(ctx);
    RewritePatternSet patterns(ctx);
    populateProgramOpToLLVMPatterns(converter, patterns);
    populateShapeOpToLLVMPatterns(converter, patterns);
    populateMemoryOpToLLVMPatterns(converter, patterns, facts);
    populateElementwiseOpToLLVMPatterns(converter, patterns, facts);
    populateReduceOpToLLVMPatterns(converter, patterns);
    populateDotOpToLLVMPatterns(converter, patterns, mmaKInnermost);
    populateWarpgroupDotOpToLLVMPatterns(converter, patterns);
    populateSharedMemoryToLLVMPatterns(converter, patterns, facts);
    populateConversionOpToLLVMPatterns(converter, patterns, facts);
    patterns.add<KernelToLLVMFunc>(converter, ctx, facts, kernelShared);
    patterns.add<ReturnToLLVM, ReportUnsupported>(converter, ctx);

    ConversionTarget conversionTarget(*ctx);
    conversionTarget.addLegalDialect<LLVM::LLVMDialect, NVVM::NVVMDialect>();
    conversionTarget.addIllegalDialect<TileDialect>();
    auto typesLegal = [](Operation *op) {
      return llvm::all_of(op->getOperandTypes(), isLegalType) &&
             llvm::all_of(op->getResultTypes(), isLegalType);
    };
    conversionTarget.addDynamicallyLegalDialect<arith::ArithDialect>(
        [&](Operation *op) {
          // A division by 1 + exp(..) is ours even as a scalar.
          return typesLegal(op) && !facts.reciprocalDivisions.contains(op);
        });
    conversionTarget.addDynamicallyLegalDialect<math::MathDialect>(
        [&](Operation *op) {
          // f32 exp needs ex2 even as a scalar.
          if (isa<math::ExpOp, math::Exp2Op>(op) &&
              op->getResult(0).getType().isF32())
            return false;
          return typesLegal(op);
        });
    conversionTarget.addIllegalOp<func::FuncOp, func::ReturnOp>();
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         conversionTarget);
    // A pattern that cannot lower an op says why; the driver's own
    // "failed to legalize" after it would only repeat that.
    bool explained = false;
    ScopedDiagnosticHandler quiet(ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      if (explained && StringRef(diag.str()).starts_with("failed to legalize"))
        return success();
      explained = true;
      return failure(); // let it through
    });
    bool wgmma = module
                     .walk([](WarpgroupDotOp) { return WalkResult::interrupt(); })
                     .wasInterrupted();
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
      return signalPassFailure();
    // The rings wgmma reads sit at multiples of kWgmmaRingAlignment from the
    // shared memory's start, which must itself be that aligned.
    if (wgmma)
      if (auto global = module.lookupSymbol<LLVM::GlobalOp>(kSharedMemoryName))
        global.setAlignment(kWgmmaRingAlignment);
    // Barriers by analysis: the lowering puts one before and after each
    // use of the scratch space; the ones that order nothing go.
    for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
      const SharedBuffers &buffers = kernelBuffers[func.getSymName()];
      for (auto [i, block] : llvm::enumerate(func.getBody()))
        removeRedundantBarriers(block, /*entered=*/i != 0, buffers);
      if (sinkSharedLoads)
        sinkSharedLoadsToFirstUse(func, prefetchKSteps);
      dropMmaPerKStepAttrs(func);
    }
  }
};

struct TileTestSharedAllocationPass
    : mlir::tile::impl::TileTestSharedAllocationPassBase<
          TileTestSharedAllocationPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      SharedAllocation allocation = computeSharedAllocation(func);
      llvm::errs() << "shared allocation of @" << func.getSymName()
                   << ": scratch " << allocation.scratchBytes << " bytes\n";
      for (auto [i, entry] : llvm::enumerate(allocation.bufferOffsets)) {
        auto type = cast<LocalAllocOp>(entry.first).getType();
        llvm::errs() << "  buffer " << i << " at " << entry.second << ": "
                     << type.getNumStages() << " x " << type.getStageBytes()
                     << " bytes (" << type << ")\n";
      }
      llvm::errs() << "  total " << allocation.totalBytes << " bytes\n";
    }
  }
};

} // namespace
