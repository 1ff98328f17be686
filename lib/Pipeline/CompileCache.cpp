//===- CompileCache.cpp - Just-in-time compilation with a disk cache ------===//
//
// An entry is one file, `<key>.tilebin`:
//   "TILEJIT" + format version (8 bytes), payload size (u64 little-endian),
//   SHA-256 of the payload (32 bytes), payload.
// The payload repeats the key (a renamed or misplaced file never answers for
// another key), then the image kind, the image, the PTX, ptxas's report and
// the kernels, each string prefixed by its length.
//
//===----------------------------------------------------------------------===//

#include "tile/Pipeline/CompileCache.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <mutex>

#ifndef TILE_VERSION_STRING
#define TILE_VERSION_STRING "unknown"
#endif
#ifndef TILE_GIT_COMMIT
#define TILE_GIT_COMMIT "unknown"
#endif

using namespace mlir;
using namespace mlir::tile;

namespace {

constexpr llvm::StringRef kMagic("TILEJIT\x02", 8);
constexpr size_t kHeaderBytes = 8 + 8 + 32;

//===----------------------------------------------------------------------===//
// What the key hashes besides the module
//===----------------------------------------------------------------------===//

/// The binary that holds this code (the executable when TilePipeline is
/// linked statically, the shared library otherwise): its path, size and
/// modification time change with every rebuild of the compiler.
const std::string &compilerIdentity() {
  static const std::string identity = [] {
    std::string id = "tile " TILE_VERSION_STRING " " TILE_GIT_COMMIT
                     " llvm " LLVM_VERSION_STRING;
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&compilerIdentity), &info) &&
        info.dli_fname) {
      llvm::sys::fs::file_status status;
      std::string path = info.dli_fname;
      if (path.find('/') == std::string::npos)
        path = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
      if (!llvm::sys::fs::status(path, status))
        id += " " + path + " " + std::to_string(status.getSize()) + " " +
              std::to_string(
                  status.getLastModificationTime().time_since_epoch().count());
    }
    return id;
  }();
  return identity;
}

/// `ptxas --version` (once per path and process); "" when it cannot run.
std::string ptxasVersion(const std::string &ptxas) {
  static std::mutex mutex;
  static llvm::StringMap<std::string> versions;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = versions.find(ptxas);
  if (it != versions.end())
    return it->second;
  std::string version;
  llvm::SmallString<128> outPath;
  if (!ptxas.empty() &&
      !llvm::sys::fs::createTemporaryFile("tile-ptxas", "txt", outPath)) {
    auto cleanup =
        llvm::make_scope_exit([&] { llvm::sys::fs::remove(outPath); });
    llvm::StringRef args[] = {ptxas, "--version"};
    std::optional<llvm::StringRef> redirects[] = {
        std::nullopt, llvm::StringRef(outPath), llvm::StringRef(outPath)};
    if (llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 30) ==
        0)
      if (auto text = llvm::MemoryBuffer::getFile(outPath))
        version = (*text)->getBuffer().str();
  }
  versions[ptxas] = version;
  return version;
}

//===----------------------------------------------------------------------===//
// Serialization
//===----------------------------------------------------------------------===//

void writeU32(llvm::raw_ostream &os, uint32_t v) {
  llvm::support::endian::write<uint32_t>(os, v, llvm::endianness::little);
}

void writeString(llvm::raw_ostream &os, llvm::StringRef s) {
  llvm::support::endian::write<uint64_t>(os, s.size(),
                                         llvm::endianness::little);
  os << s;
}

std::string serialize(llvm::StringRef key, const CompiledModule &m) {
  std::string payload;
  llvm::raw_string_ostream os(payload);
  writeString(os, key);
  writeU32(os, static_cast<uint32_t>(m.kind));
  writeString(os, m.image);
  writeString(os, m.ptx);
  writeString(os, m.ptxasInfo);
  writeU32(os, m.kernels.size());
  for (const KernelInfo &k : m.kernels) {
    writeString(os, k.name);
    writeU32(os, k.numWarps);
    writeU32(os, k.sharedBytes);
    writeU32(os, k.waitsForPrerequisites);
    writeU32(os, k.params.size());
    for (const KernelParam &p : k.params) {
      writeU32(os, static_cast<uint32_t>(p.kind));
      writeString(os, p.name);
      writeU32(os, p.alignment);
      writeU32(os, p.divisibility);
    }
  }
  os.flush();
  std::array<uint8_t, 32> sum =
      llvm::SHA256::hash(llvm::arrayRefFromStringRef(payload));
  std::string entry;
  llvm::raw_string_ostream out(entry);
  out << kMagic;
  llvm::support::endian::write<uint64_t>(out, payload.size(),
                                         llvm::endianness::little);
  out << llvm::toStringRef(sum) << payload;
  out.flush();
  return entry;
}

/// Reads the fields back; every read checks what is left.
class Reader {
public:
  explicit Reader(llvm::StringRef data) : data(data) {}
  bool u32(uint32_t &v) {
    if (data.size() < 4)
      return false;
    v = llvm::support::endian::read32le(data.data());
    data = data.drop_front(4);
    return true;
  }
  bool string(std::string &s) {
    if (data.size() < 8)
      return false;
    uint64_t n = llvm::support::endian::read64le(data.data());
    data = data.drop_front(8);
    if (data.size() < n)
      return false;
    s = data.take_front(n).str();
    data = data.drop_front(n);
    return true;
  }
  bool atEnd() const { return data.empty(); }

private:
  llvm::StringRef data;
};

std::optional<CompiledModule> deserialize(llvm::StringRef key,
                                          llvm::StringRef entry) {
  if (entry.size() < kHeaderBytes || !entry.starts_with(kMagic))
    return std::nullopt;
  uint64_t size = llvm::support::endian::read64le(entry.data() + 8);
  llvm::StringRef sum = entry.substr(16, 32);
  llvm::StringRef payload = entry.drop_front(kHeaderBytes);
  if (payload.size() != size ||
      llvm::toStringRef(
          llvm::SHA256::hash(llvm::arrayRefFromStringRef(payload))) != sum)
    return std::nullopt;
  Reader r(payload);
  CompiledModule m;
  std::string storedKey;
  uint32_t kind, numKernels;
  if (!r.string(storedKey) || storedKey != key || !r.u32(kind) ||
      kind > static_cast<uint32_t>(ImageKind::PTX) || !r.string(m.image) ||
      !r.string(m.ptx) || !r.string(m.ptxasInfo) || !r.u32(numKernels))
    return std::nullopt;
  m.kind = static_cast<ImageKind>(kind);
  for (uint32_t i = 0; i < numKernels; ++i) {
    KernelInfo k;
    uint32_t numParams, waits;
    if (!r.string(k.name) || !r.u32(k.numWarps) || !r.u32(k.sharedBytes) ||
        !r.u32(waits) || waits > 1 || !r.u32(numParams))
      return std::nullopt;
    k.waitsForPrerequisites = waits;
    for (uint32_t j = 0; j < numParams; ++j) {
      KernelParam p;
      uint32_t paramKind;
      if (!r.u32(paramKind) ||
          paramKind > static_cast<uint32_t>(KernelParam::Kind::F32) ||
          !r.string(p.name) || !r.u32(p.alignment) || !r.u32(p.divisibility))
        return std::nullopt;
      p.kind = static_cast<KernelParam::Kind>(paramKind);
      k.params.push_back(std::move(p));
    }
    m.kernels.push_back(std::move(k));
  }
  if (!r.atEnd())
    return std::nullopt;
  return m;
}

/// The NVPTX/ptxas architecture to compile for: the option's, else the
/// lowered module's `tile.target` (getTargetArch: sm_90a without one).
std::string archFor(ModuleOp lowered, const PipelineOptions &options) {
  return options.target.empty() ? getTargetArch(lowered) : options.target;
}

} // namespace

//===----------------------------------------------------------------------===//
// CompileCache
//===----------------------------------------------------------------------===//

CompileCache::CompileCache(std::string directory)
    : directory(std::move(directory)) {}

std::string CompileCache::directoryFromEnvironment() {
  if (const char *off = std::getenv("TILE_NO_CACHE"))
    if (llvm::StringRef(off) != "" && llvm::StringRef(off) != "0")
      return "";
  if (const char *dir = std::getenv("TILE_CACHE_DIR"))
    return dir;
  // $XDG_CACHE_HOME, else ~/.cache.
  llvm::SmallString<256> path;
  if (!llvm::sys::path::cache_directory(path))
    return "";
  llvm::sys::path::append(path, "tile");
  return std::string(path);
}

CompileCache &CompileCache::global() {
  static CompileCache cache(directoryFromEnvironment());
  return cache;
}

std::string CompileCache::pathFor(llvm::StringRef key) const {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, key + ".tilebin");
  return std::string(path);
}

CompileCache::Stats CompileCache::stats() const {
  Stats s;
  s.hits = hits;
  s.misses = misses;
  s.corrupt = corrupt;
  s.stores = stores;
  s.errors = errors;
  return s;
}

void CompileCache::warnOnce(const llvm::Twine &message) {
  ++errors;
  if (warned.exchange(true))
    return;
  llvm::errs() << "tile: warning: JIT cache " << directory << ": " << message
               << "; compiling without it\n";
}

std::optional<CompiledModule> CompileCache::lookup(llvm::StringRef key) {
  if (!enabled()) {
    ++misses;
    return std::nullopt;
  }
  std::string path = pathFor(key);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    if (buffer.getError() != std::errc::no_such_file_or_directory)
      warnOnce("cannot read " + path + ": " + buffer.getError().message());
    ++misses;
    return std::nullopt;
  }
  std::optional<CompiledModule> m = deserialize(key, (*buffer)->getBuffer());
  if (!m) {
    ++corrupt;
    ++misses;
    return std::nullopt;
  }
  m->fromCache = true;
  ++hits;
  return m;
}

void CompileCache::store(llvm::StringRef key, const CompiledModule &compiled) {
  if (!enabled())
    return;
  if (std::error_code ec = llvm::sys::fs::create_directories(directory)) {
    warnOnce("cannot create the directory: " + ec.message());
    return;
  }
  // A unique temporary name in the same directory, renamed over the entry:
  // readers see the old entry, no entry, or the whole new one.
  llvm::SmallString<256> model(pathFor(key));
  model += ".tmp-%%%%%%%%";
  int fd;
  llvm::SmallString<256> tmpPath;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(model, fd, tmpPath)) {
    warnOnce("cannot write: " + ec.message());
    return;
  }
  bool failed;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << serialize(key, compiled);
    os.close();
    failed = os.has_error();
    if (failed)
      os.clear_error();
  }
  if (failed) {
    llvm::sys::fs::remove(tmpPath);
    warnOnce("cannot write " + tmpPath);
    return;
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmpPath, pathFor(key))) {
    llvm::sys::fs::remove(tmpPath);
    warnOnce("cannot rename " + tmpPath + ": " + ec.message());
    return;
  }
  ++stores;
}

//===----------------------------------------------------------------------===//
// compileModule
//===----------------------------------------------------------------------===//

std::string mlir::tile::compileCacheKey(ModuleOp module,
                                        const PipelineOptions &options,
                                        ImageKind kind) {
  llvm::SHA256 hash;
  auto field = [&](llvm::StringRef name, llvm::StringRef value) {
    // Length-prefixed, so that no two different field lists hash alike.
    hash.update(name);
    hash.update(std::to_string(value.size()));
    hash.update(":");
    hash.update(value);
  };
  field("format", kMagic);
  field("compiler", compilerIdentity());
  field("target", options.target);
  field("num-warps", std::to_string(options.numWarps));
  // Only when set, so that default compiles keep their keys.
  if (options.numStages)
    field("num-stages", std::to_string(options.numStages));
  // The schedule options only when set, so that default compiles keep
  // their keys.
  if (options.sinkSharedLoads)
    field("sink-shared-loads", *options.sinkSharedLoads ? "1" : "0");
  if (options.prefetchKSteps)
    field("prefetch-k-steps", std::to_string(*options.prefetchKSteps));
  if (options.mmaKInnermost)
    field("mma-k-innermost", *options.mmaKInnermost ? "1" : "0");
  if (options.intToFloat)
    field("int-to-float", *options.intToFloat ? "1" : "0");
  if (options.pipelineOtherLoads)
    field("pipeline-other-loads", *options.pipelineOtherLoads ? "1" : "0");
  if (!options.pipelineCopiesAt.empty())
    field("pipeline-copies-at", options.pipelineCopiesAt);
  if (options.asyncWarpgroupDots)
    field("async-warpgroup-dots", *options.asyncWarpgroupDots ? "1" : "0");
  if (options.widenAhead)
    field("widen-ahead", *options.widenAhead ? "1" : "0");
  if (options.minProgramsPerSM)
    field("min-programs-per-sm", std::to_string(options.minProgramsPerSM));
  if (options.sharedImmediateOffsets)
    field("shared-immediate-offsets", "1");
  field("kind", kind == ImageKind::Cubin ? "cubin" : "ptx");
  if (kind == ImageKind::Cubin) {
    std::string ptxas = findPtxas();
    field("ptxas", ptxas);
    field("ptxas-version", ptxasVersion(ptxas));
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, OpPrintingFlags().enableDebugInfo(false));
  os.flush();
  field("module", text);
  std::array<uint8_t, 32> sum = hash.final();
  return llvm::toHex(sum, /*LowerCase=*/true);
}

FailureOr<CompiledModule>
mlir::tile::compileModule(ModuleOp module, const PipelineOptions &options,
                          ImageKind kind, CompileCache *cache) {
  if (!cache)
    cache = &CompileCache::global();
  std::string key;
  if (cache->enabled()) {
    key = compileCacheKey(module, options, kind);
    if (std::optional<CompiledModule> hit = cache->lookup(key))
      return std::move(*hit);
  } else {
    (void)cache->lookup("");
  }

  OwningOpRef<ModuleOp> lowered = module.clone();
  PassManager pm(module.getContext());
  buildTileToLLVMPipeline(pm, options);
  if (failed(pm.run(*lowered)))
    return failure();
  CompiledModule compiled;
  compiled.kind = kind;
  FailureOr<std::vector<KernelInfo>> kernels = getKernelInfo(*lowered);
  if (failed(kernels))
    return failure();
  compiled.kernels = std::move(*kernels);
  std::string arch = archFor(*lowered, options);
  FailureOr<std::string> ptx = translateToPTX(*lowered, arch);
  if (failed(ptx))
    return failure();
  compiled.ptx = std::move(*ptx);
  if (kind == ImageKind::Cubin) {
    FailureOr<std::string> cubin =
        assemblePTX(compiled.ptx, arch, &compiled.ptxasInfo, module.getLoc());
    if (failed(cubin))
      return failure();
    compiled.image = std::move(*cubin);
  } else {
    compiled.image = compiled.ptx;
  }
  if (cache->enabled())
    cache->store(key, compiled);
  return compiled;
}
