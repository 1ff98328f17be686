//===- Pipeline.cpp - From tile IR to LLVM IR, PTX and cubin --------------===//

#include "tile/Pipeline/Pipeline.h"
#include "WideMultiply.h"

#include "tile/Conversion/TileToLLVM.h"
#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace mlir;
using namespace mlir::tile;

bool mlir::tile::isSupportedTarget(llvm::StringRef target) {
  return TargetInfo::fromArch(target).has_value();
}

void mlir::tile::buildTileToLLVMPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.intToFloat.value_or(true))
    pm.addPass(createTileIntToFloatPass());
  pm.addPass(createTileCombinePass());
  TileCoalescePassOptions coalesce;
  coalesce.numWarps = options.numWarps;
  coalesce.target = options.target;
  pm.addPass(createTileCoalescePass(coalesce));
  pm.addPass(createTileAssignLayoutsPass());
  pm.addPass(createTileAccelerateMatmulPass());
  TilePipelinePassOptions pipelining;
  pipelining.numStages = options.numStages;
  if (options.pipelineOtherLoads)
    pipelining.otherLoads = *options.pipelineOtherLoads;
  pipelining.copiesAt = options.pipelineCopiesAt;
  if (options.asyncWarpgroupDots)
    pipelining.asyncWarpgroupDots = *options.asyncWarpgroupDots;
  if (options.widenAhead)
    pipelining.widenAhead = *options.widenAhead;
  pm.addPass(createTilePipelinePass(pipelining));
  ConvertTileToLLVMPassOptions lower;
  lower.target = options.target;
  lower.minProgramsPerSM = options.minProgramsPerSM;
  lower.sharedImmediateOffsets = options.sharedImmediateOffsets;
  if (options.sinkSharedLoads)
    lower.sinkSharedLoads = *options.sinkSharedLoads;
  if (options.prefetchKSteps)
    lower.prefetchKSteps = *options.prefetchKSteps;
  if (options.mmaKInnermost)
    lower.mmaKInnermost = *options.mmaKInnermost;
  pm.addPass(createConvertTileToLLVMPass(lower));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions func;
  func.indexBitwidth = 32;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {
struct TileToLLVMPipelineOptions
    : public PassPipelineOptions<TileToLLVMPipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("GPU architecture (sm_90a, sm_80, "
                                            "...); empty: the module's "
                                            "tile.target"),
                             llvm::cl::init("")};
  Option<unsigned> numWarps{
      *this, "num-warps",
      llvm::cl::desc("warps per program (0: the module's tile.num_warps)"),
      llvm::cl::init(0)};
};
} // namespace

void mlir::tile::registerTilePipelines() {
  PassPipelineRegistration<TileToLLVMPipelineOptions>(
      "tile-to-llvm",
      "Lower logical tile IR to the LLVM and NVVM dialects (the whole pipeline)",
      [](OpPassManager &pm, const TileToLLVMPipelineOptions &opts) {
        PipelineOptions options;
        options.target = opts.target;
        options.numWarps = opts.numWarps;
        buildTileToLLVMPipeline(pm, options);
      });
}

namespace {
/// What the lowering leaves of tile on a kernel (`tile.shared_bytes`, an
/// integer argument's `tile.divisibility`) is for the launcher, which
/// getKernelInfo reads it for; LLVM IR has no place for it. Translation asks
/// a dialect about its attributes on function arguments and warns when none
/// answers: this answers that there is nothing to translate.
struct TileToLLVMIRTranslation : LLVMTranslationDialectInterface {
  using LLVMTranslationDialectInterface::LLVMTranslationDialectInterface;
  LogicalResult convertParameterAttr(LLVM::LLVMFuncOp, int, NamedAttribute,
                                     LLVM::ModuleTranslation &) const override {
    return success();
  }
};
} // namespace

void mlir::tile::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, LLVM::LLVMDialect, math::MathDialect,
                  NVVM::NVVMDialect, scf::SCFDialect, TileDialect,
                  ub::UBDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registry.addExtension(+[](MLIRContext *, TileDialect *dialect) {
    dialect->addInterfaces<TileToLLVMIRTranslation>();
  });
}

FailureOr<std::vector<KernelInfo>>
mlir::tile::getKernelInfo(ModuleOp llvmModule) {
  std::vector<KernelInfo> kernels;
  for (auto func : llvmModule.getOps<LLVM::LLVMFuncOp>()) {
    if (!func->hasAttr("nvvm.kernel"))
      continue;
    KernelInfo info;
    info.name = func.getSymName().str();
    if (auto reqntid = func->getAttrOfType<DenseI32ArrayAttr>("nvvm.reqntid"))
      info.numWarps = reqntid[0] / kWarpSize;
    if (auto shared = func->getAttrOfType<IntegerAttr>("tile.shared_bytes"))
      info.sharedBytes = shared.getInt();
    // The lowering's wait in the entry block, with nothing that touches
    // memory before it (constants may come first).
    if (!func.getBody().empty())
      for (Operation &op : func.getBody().front()) {
        if (auto control = dyn_cast<NVVM::GriddepcontrolOp>(op)) {
          if (control.getKind() == NVVM::GridDepActionKind::wait) {
            info.waitsForPrerequisites = true;
            break;
          }
          continue;
        }
        if (!isMemoryEffectFree(&op))
          break;
      }
    for (auto [i, type] : llvm::enumerate(func.getFunctionType().getParams())) {
      KernelParam param;
      param.name = "arg" + std::to_string(i);
      // The DSL names arguments with their locations.
      if (!func.getBody().empty())
        if (auto name = dyn_cast<NameLoc>(func.getArgument(i).getLoc()))
          param.name = name.getName().str();
      if (isa<LLVM::LLVMPointerType>(type)) {
        param.kind = KernelParam::Kind::Pointer;
        if (auto align = func.getArgAttrOfType<IntegerAttr>(i, "llvm.align"))
          param.alignment = align.getInt();
      } else if (type.isInteger(32) || type.isInteger(64)) {
        param.kind = type.isInteger(32) ? KernelParam::Kind::I32
                                        : KernelParam::Kind::I64;
        if (auto div = func.getArgAttrOfType<IntegerAttr>(
                i, TileDialect::kDivisibilityAttrName))
          param.divisibility = div.getInt();
      } else if (type.isF32()) {
        param.kind = KernelParam::Kind::F32;
      } else {
        return func.emitError("kernel parameter #")
               << i << " has type " << type
               << "; kernels take pointers, i32, i64 and f32";
      }
      info.params.push_back(param);
    }
    kernels.push_back(std::move(info));
  }
  return kernels;
}

static std::unique_ptr<llvm::TargetMachine> createTargetMachine(StringRef target,
                                                                Location loc) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  llvm::Triple triple("nvptx64-nvidia-cuda");
  std::string error;
  const llvm::Target *nvptx =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!nvptx) {
    emitError(loc) << "the NVPTX backend is not available: " << error;
    return nullptr;
  }
  llvm::TargetOptions options;
  // PTX ISA 8.0: new enough for every instruction we emit on every target
  // (evict hints need 7.4, sm_90a needs 8.0), old enough for CUDA 12+ ptxas.
  std::unique_ptr<llvm::TargetMachine> machine(nvptx->createTargetMachine(
      triple, target, /*Features=*/"+ptx80", options, std::nullopt, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    emitError(loc) << "cannot create an NVPTX target machine for " << target;
  return machine;
}

/// Translates and optimizes; the module is ready for the NVPTX backend.
static std::unique_ptr<llvm::Module>
toOptimizedLLVM(ModuleOp llvmModule, llvm::LLVMContext &context,
                llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> module =
      translateModuleToLLVMIR(llvmModule, context, "tile");
  if (!module) {
    llvmModule.emitError("translation to LLVM IR failed");
    return nullptr;
  }
  module->setTargetTriple(machine.getTargetTriple());
  module->setDataLayout(machine.createDataLayout());

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  passes.run(*module, mam);
  formWideMultiplies(*module);
  return module;
}

std::string mlir::tile::getTargetArch(ModuleOp module) {
  return TargetInfo::get(module).getArch();
}

FailureOr<std::string> mlir::tile::translateToLLVMIR(ModuleOp llvmModule,
                                                     StringRef target) {
  auto machine = createTargetMachine(target, llvmModule.getLoc());
  if (!machine)
    return failure();
  llvm::LLVMContext context;
  auto module = toOptimizedLLVM(llvmModule, context, *machine);
  if (!module)
    return failure();
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
  return text;
}

FailureOr<std::string> mlir::tile::translateToPTX(ModuleOp llvmModule,
                                                  StringRef target) {
  auto machine = createTargetMachine(target, llvmModule.getLoc());
  if (!machine)
    return failure();
  llvm::LLVMContext context;
  auto module = toOptimizedLLVM(llvmModule, context, *machine);
  if (!module)
    return failure();
  llvm::SmallString<0> ptx;
  llvm::raw_svector_ostream os(ptx);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   llvm::CodeGenFileType::AssemblyFile)) {
    llvmModule.emitError("the NVPTX backend cannot emit PTX for ") << target;
    return failure();
  }
  codegen.run(*module);
  return std::string(ptx.str());
}

std::string mlir::tile::findPtxas() {
  if (const char *env = std::getenv("TILE_PTXAS"))
    return env;
  if (llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas"))
    return "/usr/local/cuda/bin/ptxas";
  if (auto onPath = llvm::sys::findProgramByName("ptxas"))
    return *onPath;
  return "";
}

FailureOr<std::string> mlir::tile::assemblePTX(StringRef ptx, StringRef target,
                                               std::string *info, Location loc) {
  std::string ptxas = findPtxas();
  if (ptxas.empty()) {
    emitError(loc) << "ptxas not found (set TILE_PTXAS or install CUDA in "
                      "/usr/local/cuda)";
    return failure();
  }
  llvm::SmallString<128> ptxPath, cubinPath, logPath;
  if (llvm::sys::fs::createTemporaryFile("tile", "ptx", ptxPath) ||
      llvm::sys::fs::createTemporaryFile("tile", "cubin", cubinPath) ||
      llvm::sys::fs::createTemporaryFile("tile", "log", logPath)) {
    emitError(loc) << "cannot create temporary files for ptxas";
    return failure();
  }
  auto cleanup = llvm::make_scope_exit([&] {
    llvm::sys::fs::remove(ptxPath);
    llvm::sys::fs::remove(cubinPath);
    llvm::sys::fs::remove(logPath);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(ptxPath, ec);
    if (ec) {
      emitError(loc) << "cannot write " << ptxPath << ": " << ec.message();
      return failure();
    }
    out << ptx;
  }
  std::string arch = ("-arch=" + target).str();
  SmallVector<StringRef> args = {ptxas, arch, "-O3", "-v", ptxPath, "-o", cubinPath};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects,
                                         /*SecondsToWait=*/120, 0, &error);
  auto log = llvm::MemoryBuffer::getFile(logPath);
  std::string logText = log ? (*log)->getBuffer().str() : "";
  if (status != 0) {
    emitError(loc) << "ptxas " << arch << " failed"
                   << (error.empty() ? "" : ": " + error) << "\n"
                   << logText;
    return failure();
  }
  if (info)
    *info = logText;
  auto cubin = llvm::MemoryBuffer::getFile(cubinPath, /*IsText=*/false);
  if (!cubin) {
    emitError(loc) << "ptxas wrote no cubin";
    return failure();
  }
  return (*cubin)->getBuffer().str();
}
