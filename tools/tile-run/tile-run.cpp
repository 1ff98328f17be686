//===- tile-run.cpp - Run a shipped kernel on fresh inputs and check it ---===//
//
//   tile-run KERNEL --param name=value ... [--backend auto|gpu|interp]
//            [--seed N] [--save DIR]
//   tile-run --load DIR [--backend ...] [--save DIR2]
//
// Makes fresh random inputs for the problem the parameters describe (or,
// with --load, the problem a --save wrote, its inputs read back from the
// .npy files), builds the kernel with the DSL, runs it on the GPU (auto,
// when there is one) or in the interpreter, and checks every output element
// against the kernel's C++ reference with the rules of KERNELS.md, and that
// no input was written. One line per output; exit status 1 on a mismatch, 2
// on bad usage or a bad saved run.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "Problem.h"

#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/CompileCache.h"
#include "tile/Pipeline/Pipeline.h"
#include "tile/Runtime/Runtime.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace cl = llvm::cl;
using namespace tile;

namespace {

cl::OptionCategory category("tile-run options");
cl::opt<std::string> kernelName(cl::Positional, cl::desc("<kernel>"),
                                cl::cat(category));
cl::list<std::string> params("param",
                             cl::desc("a problem parameter, name=value "
                                      "(repeatable; see --list)"),
                             cl::value_desc("name=value"), cl::cat(category));
enum class Backend { Auto, Gpu, Interp };
cl::opt<Backend> backend(
    "backend", cl::desc("where to run"), cl::init(Backend::Auto),
    cl::values(clEnumValN(Backend::Auto, "auto", "the GPU when there is one"),
               clEnumValN(Backend::Gpu, "gpu", "the GPU (an error without one)"),
               clEnumValN(Backend::Interp, "interp", "the interpreter")),
    cl::cat(category));
cl::opt<uint64_t> seed("seed", cl::desc("random seed of the inputs"),
                       cl::init(1), cl::cat(category));
cl::opt<std::string> saveDir("save",
                             cl::desc("write every buffer as DIR/<name>.npy "
                                      "and DIR/args.json"),
                             cl::value_desc("DIR"), cl::init(""),
                             cl::cat(category));
cl::opt<std::string> loadDir(
    "load",
    cl::desc("run the problem a --save wrote to DIR (its args.json: kernel, "
             "parameters, seed) on the inputs of its .npy files, to replay "
             "a failing case exactly (the files may be a user's own, of the "
             "same sizes)"),
    cl::value_desc("DIR"), cl::init(""), cl::cat(category));
cl::opt<bool> list("list", cl::desc("list the kernels and their parameters"),
                   cl::init(false), cl::cat(category));

int usage(const std::string &message) {
  llvm::errs() << "tile-run: " << message << "\n";
  return 2;
}

std::string targetFor(int cc) {
  if (cc >= 90)
    return "sm_90a";
  if (cc >= 89)
    return "sm_89";
  if (cc >= 86)
    return "sm_86";
  return "sm_80";
}

rt::ArgKind runtimeKind(mlir::tile::KernelParam::Kind kind) {
  switch (kind) {
  case mlir::tile::KernelParam::Kind::Pointer:
    return rt::ArgKind::Pointer;
  case mlir::tile::KernelParam::Kind::I32:
    return rt::ArgKind::I32;
  case mlir::tile::KernelParam::Kind::I64:
    return rt::ArgKind::I64;
  case mlir::tile::KernelParam::Kind::F32:
    return rt::ArgKind::F32;
  }
  return rt::ArgKind::I32;
}

/// Runs on the GPU; fills the output buffers and the kernel time.
bool runOnGpu(mlir::ModuleOp module, const std::string &name,
              run::Problem &problem, double &microseconds) {
  auto info = rt::deviceInfo();
  if (!info) {
    llvm::errs() << "tile-run: " << info.status().str() << "\n";
    return false;
  }
  mlir::tile::PipelineOptions options;
  options.target = targetFor(info->computeCapability);
  // PTX, which the driver compiles for the GPU at hand; through the JIT cache
  // (TILE_CACHE_DIR), so a second run of the same kernel skips the pipeline.
  auto compiled =
      mlir::tile::compileModule(module, options, mlir::tile::ImageKind::PTX);
  if (mlir::failed(compiled) || compiled->kernels.empty())
    return false;
  const std::vector<mlir::tile::KernelInfo> *kernels = &compiled->kernels;
  std::string image = compiled->image + '\0';
  auto loaded = rt::Module::load(image.data(), image.size());
  if (!loaded) {
    llvm::errs() << "tile-run: " << loaded.status().str() << "\n";
    return false;
  }
  const auto &k = kernels->front();
  // Everything the compiled code assumes of its arguments, for the launch to
  // check.
  std::vector<rt::ParamInfo> signature;
  for (const auto &p : k.params)
    signature.push_back(
        {runtimeKind(p.kind), p.alignment, p.name, p.divisibility});
  auto kernel = loaded->kernel(name, signature, k.numWarps * 32, k.sharedBytes,
                               k.waitsForPrerequisites);
  if (!kernel) {
    llvm::errs() << "tile-run: " << kernel.status().str() << "\n";
    return false;
  }
  std::vector<rt::DeviceBuffer> device;
  for (const run::Buffer &b : problem.buffers) {
    auto d = rt::DeviceBuffer::allocate(b.data.size());
    if (!d || !d->copyFromHost(b.data.data(), b.data.size())) {
      llvm::errs() << "tile-run: cannot allocate or copy " << b.name << "\n";
      return false;
    }
    device.push_back(std::move(*d));
  }
  // Scalars as wide as the kernel takes them; a kind the problem cannot give
  // (a float) is left for the launch's check to name.
  std::vector<rt::Arg> args;
  for (auto [i, a] : llvm::enumerate(problem.args)) {
    if (a.buffer >= 0)
      args.push_back(rt::Arg::pointer(device[a.buffer]));
    else if (i < signature.size() && signature[i].kind == rt::ArgKind::I64)
      args.push_back(rt::Arg::i64(a.value));
    else
      args.push_back(rt::Arg::i32(a.value));
  }
  auto stream = rt::Stream::create();
  auto start = rt::Event::create(), end = rt::Event::create();
  if (!stream || !start || !end)
    return false;
  rt::Dim3 grid{uint32_t(problem.grid.x), uint32_t(problem.grid.y)};
  const bool any = !problem.grid.empty();
  rt::Status s = any ? kernel->launch(grid, args.data(), args.size(), *stream)
                     : rt::Status::ok();
  // A second, timed launch (same inputs and outputs).
  if (s && any) {
    (void)start->record(*stream);
    s = kernel->launch(grid, args.data(), args.size(), *stream);
    (void)end->record(*stream);
  }
  if (s)
    s = stream->synchronize();
  if (!s) {
    llvm::errs() << "tile-run: " << s.str() << "\n";
    return false;
  }
  auto ms = rt::Event::elapsedMs(*start, *end);
  microseconds = ms && any ? *ms * 1000.0 : 0.0;
  for (size_t i = 0; i < problem.buffers.size(); ++i)
    if (problem.buffers[i].output &&
        !device[i].copyToHost(problem.buffers[i].data.data(),
                              problem.buffers[i].data.size()))
      return false;
  return true;
}

bool runInInterpreter(mlir::ModuleOp module, const std::string &name,
                      run::Problem &problem) {
  interp::Interpreter interpreter(module);
  for (run::Buffer &b : problem.buffers)
    interpreter.addBuffer(b.data.data(), b.data.size(), b.name);
  std::vector<interp::Arg> args;
  for (const run::Argument &a : problem.args)
    args.push_back(a.buffer >= 0
                       ? interp::Arg::pointer(problem.buffers[a.buffer].data.data())
                       : interp::Arg::i32(a.value));
  if (problem.grid.empty())
    return true;
  return mlir::succeeded(interpreter.run(
      name, interp::Grid{uint32_t(problem.grid.x), uint32_t(problem.grid.y)},
      args));
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tile-run: run a shipped kernel on fresh random inputs (on the GPU or in "
      "the interpreter) and check every output against its C++ reference\n");
  if (list) {
    for (const auto &k : kernels::registry()) {
      const auto &ps = run::problemParams(k.name);
      if (ps.empty())
        continue;
      llvm::outs() << k.name << ": " << k.summary << "\n";
      for (const auto &p : ps)
        llvm::outs() << "  " << p.name << " (default " << p.defaultValue
                     << "): " << p.help << "\n";
    }
    return 0;
  }
  std::map<std::string, std::string> given;
  uint64_t inputSeed = seed;
  run::SavedRun saved;
  std::string error;
  if (loadDir.getNumOccurrences() && loadDir.empty())
    return usage("--load needs a directory");
  if (!loadDir.empty()) {
    // The saved run decides the problem: nothing on the command line may
    // contradict it.
    if (!params.empty() || seed.getNumOccurrences())
      return usage("--load replays the parameters and seed of " + loadDir +
                   "/args.json; --param and --seed cannot go with it");
    if (!run::readSavedRun(loadDir, saved, error))
      return usage(error);
    if (!kernelName.empty() && kernelName != saved.kernel)
      return usage("--load " + loadDir + " holds a run of " + saved.kernel +
                   ", not " + kernelName);
    kernelName = saved.kernel;
    given = saved.params;
    inputSeed = saved.seed;
  }
  if (kernelName.empty())
    return usage("no kernel given (see --list)");
  const kernels::KernelEntry *entry = kernels::findKernel(kernelName);
  if (!entry)
    return usage("unknown kernel '" + kernelName + "' (see --list)");

  for (const std::string &p : params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos)
      return usage("--param expects name=value, got '" + p + "'");
    given[p.substr(0, eq)] = p.substr(eq + 1);
  }
  run::Problem problem;
  if (!run::makeProblem(kernelName, given, inputSeed, problem, error))
    return usage(error);
  if (!loadDir.empty() &&
      !run::loadSavedInputs(loadDir, saved, kernelName, problem, error))
    return usage(error);
  kernels::ParamValues resolved;
  if (!kernels::resolveParams(*entry, problem.kernelParams, resolved, error))
    return usage(error);

  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = entry->build(ctx, resolved);
  if (mlir::failed(module))
    return usage("cannot build " + kernelName + " for these parameters");

  bool gpu = backend == Backend::Gpu;
  if (backend == Backend::Auto)
    gpu = rt::hasGpu();
  if (gpu && !rt::hasGpu())
    return usage("--backend gpu: " + rt::init().str());
  if (gpu) {
    // A problem the device cannot hold is refused like bad parameters, not
    // met by an allocation failure halfway through.
    double bytes = 0;
    for (const run::Buffer &b : problem.buffers)
      bytes += double(b.data.size());
    auto memory = rt::memoryInfo();
    if (memory && bytes > double(memory->freeBytes))
      return usage(llvm::formatv("the problem needs {0:F1} GiB of device "
                                 "memory, {1:F1} GiB are free",
                                 bytes / (1 << 30),
                                 double(memory->freeBytes) / (1 << 30))
                       .str());
  }

  // The inputs as given, to tell a kernel that writes one: in the
  // interpreter, whose memory they are (the GPU's copies are not read back,
  // so there is nothing to compare, and no copy is kept).
  std::vector<std::vector<uint8_t>> inputsBefore;
  if (!gpu)
    for (const run::Buffer &b : problem.buffers)
      inputsBefore.push_back(b.output ? std::vector<uint8_t>() : b.data);

  auto start = std::chrono::steady_clock::now();
  double kernelUs = 0;
  bool ran = gpu ? runOnGpu(**module, kernelName, problem, kernelUs)
                 : runInInterpreter(**module, kernelName, problem);
  double wallMs = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  if (!ran) {
    llvm::errs() << "tile-run: " << kernelName << " failed to run on the "
                 << (gpu ? "GPU" : "interpreter") << "\n";
    return 1;
  }
  // The reference reads the inputs as they were given: a kernel that wrote
  // one is reported (in the interpreter, where the inputs are the kernel's
  // memory; the GPU's copies are not read back), and checked against what
  // it was given.
  std::vector<run::Verdict> written;
  for (size_t i = 0; i < inputsBefore.size(); ++i) {
    run::Buffer &b = problem.buffers[i];
    if (b.output || b.data == inputsBefore[i])
      continue;
    written.push_back({b.name, false, "an input, written by the kernel"});
    b.data = inputsBefore[i];
  }
  std::vector<run::Verdict> verdicts = problem.check(problem.buffers, gpu);
  verdicts.insert(verdicts.end(), written.begin(), written.end());
  bool ok = true;
  llvm::outs() << kernelName << " " << problem.description << " on the "
               << (gpu ? "GPU" : "interpreter");
  if (gpu) {
    double bytes = 0;
    for (const run::Buffer &b : problem.buffers)
      bytes += b.data.size();
    llvm::outs() << llvm::format(": %.2f us, %.1f GB/s", kernelUs,
                                 kernelUs > 0 ? bytes / kernelUs / 1e3 : 0.0);
  } else {
    llvm::outs() << llvm::format(" (%.0f ms)", wallMs);
  }
  llvm::outs() << "\n";
  for (const run::Verdict &v : verdicts) {
    llvm::outs() << "  " << v.output << ": " << (v.ok ? "OK" : "MISMATCH")
                 << " (" << v.detail << ")\n";
    ok &= v.ok;
  }
  if (!saveDir.empty()) {
    if (!run::saveRun(saveDir, kernelName, given, inputSeed, problem, error)) {
      llvm::errs() << "tile-run: " << error << "\n";
      return 1;
    }
    llvm::outs() << "  saved to " << saveDir << "\n";
  }
  return ok ? 0 : 1;
}
