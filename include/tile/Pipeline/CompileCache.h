//===- CompileCache.h - JIT compilation with a disk cache -------*- C++ -*-===//
//
// compileModule() is what a C++ user (and tile-run) calls to compile a module
// of tile IR just in time: the pipeline of Pipeline.h, PTX, and for a cubin
// ptxas. Its result is cached on disk, content-addressed: the key is a SHA-256
// of everything that determines the output, so compiling the same module for
// the same target a second time, in this process or another, reads the image
// back instead of running the pipeline (milliseconds instead of ~170 ms).
//
// The key hashes
//   - the module's text as given (before the pipeline; locations left out),
//   - the target, num_warps and the image kind, and the lowering's schedule
//     options where they are set (PipelineOptions),
//   - for cubins, ptxas's path and `ptxas --version`,
//   - LLVM's version, tile's version and git commit at configure time, and the
//     size and modification time of the binary that holds the compiler (the
//     executable, or libTilePipeline when it is shared), so any rebuild of the
//     compiler starts a fresh set of entries.
// The value is the image (cubin or PTX), the PTX, ptxas's resource report and
// the KernelInfo of every kernel: all a launcher needs.
//
// Where: $TILE_CACHE_DIR, else $XDG_CACHE_HOME/tile, else ~/.cache/tile; one
// file `<key>.tilebin` per entry. `TILE_CACHE_DIR=` (set, empty) or
// `TILE_NO_CACHE=1` disables the cache. To clear it, delete the directory
// (`rm -rf ~/.cache/tile`): nothing else refers to it.
//
// Robustness: an entry is written to a temporary file in the same directory
// and renamed over its name, so readers never see half an entry, whether
// another process writes the same key at the same time or the writer crashed.
// Every entry carries its payload's size and SHA-256; an entry that is
// truncated, corrupt or of another format version is ignored (and replaced by
// the fresh compile), never loaded. A cache that cannot be used (an
// unwritable directory, a full disk) costs a compile, never an error: the
// first such problem prints one warning on stderr, later ones nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PIPELINE_COMPILECACHE_H
#define TILE_PIPELINE_COMPILECACHE_H

#include "tile/Pipeline/Pipeline.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tile {

/// What the compiled image is: a cubin for one architecture (ptxas), or PTX
/// text for the driver to compile at load time.
enum class ImageKind { Cubin, PTX };

/// A compiled module as a launcher loads it.
struct CompiledModule {
  ImageKind kind = ImageKind::Cubin;
  /// The cubin's bytes, or the PTX text (no terminating NUL).
  std::string image;
  /// The PTX the image was made from.
  std::string ptx;
  /// ptxas's `-v` resource report (cubins only).
  std::string ptxasInfo;
  /// Every kernel of the module and what it assumes of its arguments.
  std::vector<KernelInfo> kernels;
  /// Whether this came from the cache rather than the pipeline.
  bool fromCache = false;
};

/// A directory of compiled modules, keyed by content hash. Thread-safe: the
/// counters are atomic and entries are written by rename.
class CompileCache {
public:
  /// Counters since construction.
  struct Stats {
    unsigned hits = 0;
    unsigned misses = 0;
    /// Entries found but refused (truncated, corrupt, another version).
    unsigned corrupt = 0;
    unsigned stores = 0;
    /// Reads or writes that failed (unwritable directory, full disk).
    unsigned errors = 0;
  };

  /// A cache in `directory`; an empty directory gives a disabled cache. The
  /// directory is created on the first store.
  explicit CompileCache(std::string directory);

  /// The directory the environment names: $TILE_CACHE_DIR, else
  /// $XDG_CACHE_HOME/tile, else $HOME/.cache/tile; "" (disabled) when
  /// TILE_NO_CACHE is set to anything but "" or "0", when TILE_CACHE_DIR is
  /// set but empty, or when no home directory is known.
  static std::string directoryFromEnvironment();

  /// The process's cache, in directoryFromEnvironment() as it was on first
  /// use.
  static CompileCache &global();

  bool enabled() const { return !directory.empty(); }
  llvm::StringRef getDirectory() const { return directory; }
  /// The file that holds (or would hold) the entry of `key`.
  std::string pathFor(llvm::StringRef key) const;

  /// The entry of `key` when there is a sound one; counts a hit, a miss or a
  /// corrupt entry (as a miss too).
  std::optional<CompiledModule> lookup(llvm::StringRef key);
  /// Writes the entry of `key` atomically; failures count as errors and warn
  /// once.
  void store(llvm::StringRef key, const CompiledModule &compiled);

  Stats stats() const;

private:
  void warnOnce(const llvm::Twine &message);

  std::string directory;
  std::atomic<unsigned> hits{0}, misses{0}, corrupt{0}, stores{0}, errors{0};
  std::atomic<bool> warned{false};
};

/// The cache key (64 hex digits) of compiling `module` with `options` to
/// `kind`; see the file comment for what it hashes.
std::string compileCacheKey(ModuleOp module, const PipelineOptions &options,
                            ImageKind kind);

/// Compiles a module of tile IR just in time: the tile-to-LLVM pipeline,
/// getKernelInfo, translateToPTX and, for a cubin, assemblePTX, through
/// `cache` (nullptr: CompileCache::global()). `module` itself is not changed
/// (a miss lowers a clone). Failures are diagnostics on the module's context,
/// as the pipeline's steps give them; failures are never cached.
FailureOr<CompiledModule> compileModule(ModuleOp module,
                                        const PipelineOptions &options,
                                        ImageKind kind = ImageKind::Cubin,
                                        CompileCache *cache = nullptr);

} // namespace mlir::tile

#endif // TILE_PIPELINE_COMPILECACHE_H
