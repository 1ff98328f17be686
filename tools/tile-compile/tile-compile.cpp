//===- tile-compile.cpp - Ahead-of-time compiler of tile kernels ----------===//
//
//   tile-compile FILE.mlir --target sm_90a --emit llvm|ptx|cubin|header -o OUT
//   tile-compile KERNEL --param name=value ... (a kernel of the DSL)
//   tile-compile --list
//
// Runs the whole pipeline on a file of tile IR, or on a shipped DSL kernel
// built with the given parameters, and writes one artifact. The
// output is written to a temporary file and renamed into place, so a failure
// leaves nothing half-written.
//
//===----------------------------------------------------------------------===//

#include "HeaderWriter.h"
#include "Registry.h"
#include "tile/Conversion/TileToLLVM.h"
#include "tile/Pipeline/Pipeline.h"
#include "tile/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { Tile, Mlir, Llvm, Ptx, Cubin, Header };

cl::OptionCategory category("tile-compile options");
cl::opt<std::string> input(cl::Positional,
                           cl::desc("<input .mlir file, or a kernel name>"),
                           cl::cat(category));
cl::list<std::string> params("param",
                             cl::desc("a kernel parameter, name=value "
                                      "(repeatable; see --list)"),
                             cl::value_desc("name=value"), cl::cat(category));
cl::opt<bool> list("list",
                   cl::desc("list the shipped kernels and their parameters"),
                   cl::init(false), cl::cat(category));
cl::opt<std::string> output("o", cl::desc("output file ('-' for stdout)"),
                            cl::value_desc("file"), cl::init("-"),
                            cl::cat(category));
cl::opt<std::string> target("target",
                            cl::desc("GPU architecture: sm_90a, sm_90, sm_89, "
                                     "sm_86, sm_80 (default: the module's "
                                     "tile.target, else sm_90a)"),
                            cl::init(""), cl::cat(category));
cl::opt<unsigned> numWarps("num-warps",
                           cl::desc("warps per program (default: the "
                                    "module's tile.num_warps, else 4)"),
                           cl::init(0), cl::cat(category));
cl::opt<unsigned> numStages(
    "num-stages",
    cl::desc("shared buffers of each software-pipelined K loop, 1 to 8 (1: "
             "none; default: the module's tile.num_stages, else 3)"),
    cl::init(0), cl::cat(category));
cl::opt<Emit> emit(
    "emit", cl::desc("what to write"), cl::init(Emit::Ptx),
    cl::values(clEnumValN(Emit::Tile, "tile",
                          "the logical tile IR (before any pass)"),
               clEnumValN(Emit::Mlir, "mlir", "the LLVM/NVVM dialect module"),
               clEnumValN(Emit::Llvm, "llvm",
                          "optimized LLVM IR, as the NVPTX backend gets it "
                          "(after O3 and WideMultiply's mul.wide.s32)"),
               clEnumValN(Emit::Ptx, "ptx", "PTX (default)"),
               clEnumValN(Emit::Cubin, "cubin", "a cubin, through ptxas"),
               clEnumValN(Emit::Header, "header",
                          "a C++ header embedding the cubin, with a typed "
                          "launch function per kernel")),
    cl::cat(category));
cl::opt<std::string> headerNamespace(
    "namespace",
    cl::desc("namespace of the header: tile::aot::<name> (default: the input "
             "file's stem)"),
    cl::init(""), cl::cat(category));
enum class Image { Cubin, Ptx };
cl::opt<Image> headerImage(
    "image", cl::desc("what --emit header embeds"), cl::init(Image::Cubin),
    cl::values(clEnumValN(Image::Cubin, "cubin",
                          "the cubin: loads only on GPUs of the target's "
                          "family (default)"),
               clEnumValN(Image::Ptx, "ptx",
                          "the PTX: the driver compiles it for whatever GPU "
                          "runs it (e.g. sm_80 code on a Hopper)")),
    cl::cat(category));
cl::opt<bool> sinkSharedLoads(
    "sink-shared-loads",
    cl::desc("convert-tile-to-llvm's ldmatrix sink (default: the pass's, on): "
             "each ldmatrix next to its first mma.sync"),
    cl::cat(category));
cl::opt<unsigned> prefetchKSteps(
    "prefetch-k-steps",
    cl::desc("with the sink, how many K steps of mma.sync ahead of its use an "
             "ldmatrix is issued (default: the pass's, 1)"),
    cl::cat(category));
cl::opt<bool> mmaKInnermost(
    "mma-k-innermost",
    cl::desc("issue each accumulator fragment's whole K chain of mma.sync at "
             "once (default: the pass's, off)"),
    cl::cat(category));
cl::opt<bool> intToFloat(
    "int-to-float",
    cl::desc("run tile-int-to-float: i32 -> f32 conversions of proven small "
             "ranges as an add and a subtraction (default: on; "
             "--int-to-float=false to measure what it buys)"),
    cl::cat(category));
cl::opt<bool> pipelineOtherLoads(
    "pipeline-other-loads",
    cl::desc("tile-pipeline also copies a K loop's other loads (a GEMM's "
             "per-group scales) ahead through shared memory (default: off, "
             "or where the kernel asks for it: grouped_gemm_i8 "
             "scale_prefetch=pipelined)"),
    cl::cat(category));
cl::opt<std::string> pipelineCopiesAt(
    "pipeline-copies-at",
    cl::desc("where tile-pipeline issues a K loop's copies of later tiles: "
             "top, after_first_dot or bottom (default: where the kernel asks "
             "for it, else top)"),
    cl::value_desc("place"), cl::cat(category));
cl::opt<bool> asyncWarpgroupDots(
    "async-warpgroup-dots",
    cl::desc("with wgmma, a K loop body's dots whose operands are all ready "
             "at the first (grouped_gemm_i8's groups_per_step=2) are issued "
             "together, asynchronously, each waited for just before its "
             "first use, so the first group's dequantization runs while the "
             "later dots compute (default: on; --async-warpgroup-dots=false "
             "to measure what it buys)"),
    cl::cat(category));
cl::opt<bool> widenAhead(
    "widen-ahead",
    cl::desc("with wgmma, f16_exact's int8 tiles are widened to f16 one K "
             "iteration ahead, while the dots compute, into a second set of "
             "f16 buffers, where the dots are issued together, a group of "
             "copies stays in flight and the buffers fit (default: off, "
             "each tile widened in its own iteration, which measured as "
             "fast on an H200)"),
    cl::cat(category));
cl::opt<unsigned> minProgramsPerSM(
    "min-programs-per-sm",
    cl::desc("programs (CTAs) that should fit on one SM at once, 1 to 32: "
             "PTX .minnctapersm, so ptxas bounds each thread's registers "
             "(spilling if it must) to let that many run (default: the "
             "module's tile.min_programs_per_sm, else no bound)"),
    cl::init(0), cl::cat(category));
cl::opt<bool> sharedImmediateOffsets(
    "shared-immediate-offsets",
    cl::desc("address each shared-memory access of a thread as one register "
             "plus a constant offset in the instruction, where the layouts "
             "allow (default: where the kernel asks for it, "
             "tile.shared_immediate_offsets; else one address register per "
             "offset)"),
    cl::init(false), cl::cat(category));
cl::opt<bool> warpgroupMma(
    "warpgroup-mma",
    cl::desc("compute the dots that wgmma can read from shared memory with "
             "wgmma (sm_90a: f16 and bf16 into f32, int8 native into i32; "
             "operands K-contiguous in rows of 32, 64 or 128 bytes, in a "
             "pipelined K loop; others stay on mma.sync) (default: where "
             "the kernel asks for it, tile.warpgroup_mma)"),
    cl::init(false), cl::cat(category));
cl::opt<bool> printResources("print-resources",
                             cl::desc("print ptxas's register and shared "
                                      "memory report to stderr"),
                             cl::init(false), cl::cat(category));
cl::opt<bool> timing("time", cl::desc("print the time of each step to stderr"),
                     cl::init(false), cl::cat(category));

/// Prints the time since the last call, with `step`, when --time is on.
struct StepTimer {
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  void done(llvm::StringRef step) {
    auto now = std::chrono::steady_clock::now();
    if (timing)
      llvm::errs() << llvm::format(
          "tile-compile: %-10s %8.1f ms\n", step.str().c_str(),
          std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
  }
};

int fail(const llvm::Twine &message) {
  llvm::errs() << "tile-compile: " << message << "\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --mlir-print-ir-before/after(-all) and friends: see every stage of the
  // pipeline, as tile-opt does (listed by --help-hidden).
  // (The project's passes first, so that --mlir-print-ir-after=tile-pipeline
  // knows them by name.)
  mlir::tile::registerTilePasses();
  mlir::tile::registerTileConversionPasses();
  mlir::registerPassManagerCLOptions();
  mlir::registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tile-compile: compile tile IR ahead of time to LLVM IR, PTX, a cubin "
      "or a C++ header\n");
  if (list) {
    for (const auto &k : ::tile::kernels::registry()) {
      llvm::outs() << k.name << ": " << k.summary << "\n";
      for (const auto &p : k.params) {
        llvm::outs() << "  " << p.name << " (default " << p.defaultValue;
        if (!p.choices.empty())
          llvm::outs() << "; " << llvm::join(p.choices, "|");
        llvm::outs() << "): " << p.help << "\n";
      }
    }
    return 0;
  }
  if (input.empty())
    return fail("no input: give a .mlir file or a kernel name (see --list)");
  if (!target.empty() && !mlir::tile::isSupportedTarget(target))
    return fail("unknown --target '" + target +
                "' (expected sm_90a, sm_90, sm_89, sm_86 or sm_80)");
  if (numWarps != 0 && !mlir::tile::isValidNumWarps(numWarps))
    return fail("--num-warps must be a power of two in [1, 32], got " +
                llvm::Twine(numWarps));
  if (minProgramsPerSM.getNumOccurrences() &&
      !mlir::tile::isValidMinProgramsPerSM(minProgramsPerSM))
    return fail("--min-programs-per-sm must be from 1 to " +
                llvm::Twine(mlir::tile::kMaxProgramsPerSM) + ", got " +
                llvm::Twine(minProgramsPerSM));
  if (numStages.getNumOccurrences() && (numStages < 1 || numStages > 8))
    return fail("--num-stages must be from 1 to 8, got " +
                llvm::Twine(numStages));

  DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  MLIRContext context(registry);
  StepTimer timer;

  std::string error;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  const ::tile::kernels::KernelEntry *kernel = nullptr;
  if (!llvm::StringRef(input).ends_with(".mlir") &&
      !llvm::sys::fs::exists(input)) {
    kernel = ::tile::kernels::findKernel(input);
    if (!kernel)
      return fail("'" + input +
                  "' is neither a file nor a shipped kernel (see --list)");
  } else if (!params.empty()) {
    return fail("--param applies to shipped kernels, not to a file");
  }
  if (kernel) {
    ::tile::kernels::ParamValues given, resolved;
    for (const std::string &p : params) {
      auto [name, value] = llvm::StringRef(p).split('=');
      if (value.empty() && !llvm::StringRef(p).contains('='))
        return fail("--param expects name=value, got '" + p + "'");
      given[name.str()] = value.str();
    }
    if (!::tile::kernels::resolveParams(*kernel, given, resolved, error))
      return fail(error);
    FailureOr<OwningOpRef<ModuleOp>> built = kernel->build(context, resolved);
    if (failed(built))
      return 1;
    module = std::move(*built);
    timer.done("build");
  } else {
    auto file = openInputFile(input, &error);
    if (!file)
      return fail(error);
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1;
    timer.done("parse");
  }

  if (warpgroupMma)
    (*module)->setAttr(mlir::tile::TileDialect::kWarpgroupMmaAttrName,
                       UnitAttr::get(&context));

  std::string artifact;
  if (emit == Emit::Tile) {
    llvm::raw_string_ostream os(artifact);
    module->print(os, OpPrintingFlags().enableDebugInfo(false));
    auto out = openOutputFile(output, &error);
    if (!out)
      return fail(error);
    out->os() << artifact;
    out->keep();
    return 0;
  }

  PassManager pm(&context);
  if (failed(mlir::applyPassManagerCLOptions(pm)))
    return fail("bad pass manager options");
  mlir::tile::PipelineOptions options;
  options.target = target;
  options.numWarps = numWarps;
  options.numStages = numStages;
  options.minProgramsPerSM = minProgramsPerSM;
  options.sharedImmediateOffsets = sharedImmediateOffsets;
  if (sinkSharedLoads.getNumOccurrences())
    options.sinkSharedLoads = sinkSharedLoads;
  if (prefetchKSteps.getNumOccurrences())
    options.prefetchKSteps = prefetchKSteps;
  if (mmaKInnermost.getNumOccurrences())
    options.mmaKInnermost = mmaKInnermost;
  if (intToFloat.getNumOccurrences())
    options.intToFloat = intToFloat;
  if (pipelineOtherLoads.getNumOccurrences())
    options.pipelineOtherLoads = pipelineOtherLoads;
  options.pipelineCopiesAt = pipelineCopiesAt;
  if (asyncWarpgroupDots.getNumOccurrences())
    options.asyncWarpgroupDots = asyncWarpgroupDots;
  if (widenAhead.getNumOccurrences())
    options.widenAhead = widenAhead;
  mlir::tile::buildTileToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;
  timer.done("lower");
  // The lowered module's tile.target, which --target set when given.
  std::string arch = mlir::tile::getTargetArch(*module);

  if (emit == Emit::Mlir) {
    llvm::raw_string_ostream os(artifact);
    module->print(os);
  } else if (emit == Emit::Llvm) {
    FailureOr<std::string> ir = mlir::tile::translateToLLVMIR(*module, arch);
    if (failed(ir))
      return 1;
    artifact = std::move(*ir);
  } else {
    FailureOr<std::string> ptx = mlir::tile::translateToPTX(*module, arch);
    if (failed(ptx))
      return 1;
    timer.done("ptx");
    artifact = *ptx;
    if (emit == Emit::Cubin || emit == Emit::Header || printResources) {
      std::string report;
      FailureOr<std::string> cubin =
          mlir::tile::assemblePTX(artifact, arch, &report, module->getLoc());
      if (failed(cubin))
        return 1;
      timer.done("ptxas");
      if (printResources) {
        llvm::errs() << report;
        FailureOr<std::vector<mlir::tile::KernelInfo>> kernels =
            mlir::tile::getKernelInfo(*module);
        if (failed(kernels))
          return 1;
        for (const auto &k : *kernels)
          llvm::errs() << "tile-compile: kernel " << k.name << ": "
                       << k.numWarps * 32 << " threads, " << k.sharedBytes
                       << " bytes of dynamic shared memory\n";
      }
      if (emit == Emit::Cubin)
        artifact = std::move(*cubin);
      if (emit == Emit::Header) {
        FailureOr<std::vector<mlir::tile::KernelInfo>> kernels =
            mlir::tile::getKernelInfo(*module);
        if (failed(kernels))
          return 1;
        std::string ns = headerNamespace.empty()
                             ? llvm::sys::path::stem(input).str()
                             : headerNamespace.getValue();
        for (char &c : ns)
          if (!isalnum(static_cast<unsigned char>(c)))
            c = '_';
        artifact.clear();
        llvm::raw_string_ostream os(artifact);
        // A PTX image keeps its terminating NUL for cuModuleLoadData.
        std::string ptxImage = *ptx + '\0';
        ::tile::compile::writeHeader(
            os, ns, llvm::sys::path::filename(input), arch,
            headerImage == Image::Ptx ? ptxImage : *cubin, *kernels,
            headerImage == Image::Ptx ? "PTX" : "cubin");
      }
    }
  }

  // ToolOutputFile writes to a temporary and keeps it only on keep().
  auto out = openOutputFile(output, &error);
  if (!out)
    return fail(error);
  out->os() << artifact;
  out->os().flush();
  if (out->os().has_error())
    return fail("cannot write " + output);
  out->keep();
  timer.done("write");
  return 0;
}
