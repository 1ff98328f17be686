//===- InterpRunner.cpp - A shipped kernel in tile::interp ----------------===//

#include "InterpRunner.h"

#include "Registry.h"
#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>

namespace tile::python {

namespace {

/// A built kernel and the context that owns it.
struct Built {
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

std::string keyOf(const std::string &kernel,
                  const std::map<std::string, std::string> &params) {
  std::string key = kernel;
  for (const auto &[name, value] : params)
    key += " " + name + "=" + value;
  return key;
}

} // namespace

std::string runInInterpreter(const std::string &kernel,
                             const std::map<std::string, std::string> &params,
                             const LaunchGrid &grid, const PlanArgs &args) {
  static std::mutex mutex;
  static std::map<std::string, Built> cache;
  std::lock_guard<std::mutex> lock(mutex);

  const std::string key = keyOf(kernel, params);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const kernels::KernelEntry *entry = kernels::findKernel(kernel);
    if (!entry)
      return "no shipped kernel '" + kernel + "'";
    kernels::ParamValues resolved;
    std::string error;
    if (!kernels::resolveParams(*entry, params, resolved, error))
      return error;
    mlir::DialectRegistry registry;
    mlir::tile::registerCompilerDialects(registry);
    Built built;
    built.context = std::make_unique<mlir::MLIRContext>(registry);
    std::string diagnostics;
    {
      mlir::ScopedDiagnosticHandler handler(
          built.context.get(), [&](mlir::Diagnostic &d) {
            llvm::raw_string_ostream os(diagnostics);
            os << d << "\n";
            return mlir::success();
          });
      auto module = entry->build(*built.context, resolved);
      if (mlir::failed(module))
        return "building " + key + " failed:\n" + diagnostics;
      built.module = std::move(*module);
    }
    it = cache.emplace(key, std::move(built)).first;
  }
  if (grid.empty())
    return "";
  if (std::string why = grid.exceedsLimits(); !why.empty())
    return why;

  mlir::ModuleOp module = *it->second.module;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      it->second.context.get(), [&](mlir::Diagnostic &d) {
        llvm::raw_string_ostream os(diagnostics);
        os << d << "\n";
        return mlir::success();
      });
  interp::Interpreter interpreter(module);
  std::vector<interp::Arg> runArgs;
  for (int i = 0; i < args.count; ++i) {
    const PlanArg &a = args.items[i];
    if (a.kind == PlanArg::Pointer) {
      const void *p = reinterpret_cast<const void *>(uintptr_t(a.value));
      interpreter.addBuffer(p, size_t(a.bytes), a.name);
      runArgs.push_back(interp::Arg::pointer(p));
    } else {
      runArgs.push_back(interp::Arg::i32(a.value));
    }
  }
  if (mlir::failed(interpreter.run(
          kernel, interp::Grid{uint32_t(grid.x), uint32_t(grid.y)}, runArgs)))
    return diagnostics.empty() ? "the interpreter failed" : diagnostics;
  return "";
}

} // namespace tile::python
