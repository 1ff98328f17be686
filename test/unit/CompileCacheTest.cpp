//===- CompileCacheTest.cpp - The JIT cache of compileModule --------------===//
//
// Every test uses a cache of its own in a fresh temporary directory, never the
// user's: whether a compile was served from the cache is read from the
// cache's counters and the result's `fromCache`, never from a clock.
//
//===----------------------------------------------------------------------===//

#include "tile/Pipeline/CompileCache.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

using namespace mlir;
using namespace mlir::tile;

namespace {

bool havePtxas() {
  if (const char *env = std::getenv("TILE_PTXAS"))
    return llvm::sys::fs::can_execute(env);
  return llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas") ||
         static_cast<bool>(llvm::sys::findProgramByName("ptxas"));
}

class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("tile-cache-test", tempDir));
    cacheDir = (tempDir + "/cache").str();
    DialectRegistry registry;
    registerCompilerDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(tempDir); }

  OwningOpRef<ModuleOp> parseExample(llvm::StringRef name) {
    std::string path =
        (llvm::Twine(TILE_SOURCE_DIR) + "/kernels/examples/" + name).str();
    return parseSourceFile<ModuleOp>(path, &context);
  }

  static PipelineOptions target(llvm::StringRef arch) {
    PipelineOptions options;
    options.target = arch.str();
    return options;
  }

  /// The cache's entry files.
  std::vector<std::string> entries() {
    std::vector<std::string> found;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(cacheDir, ec), end;
         !ec && it != end; it.increment(ec))
      found.push_back(it->path());
    return found;
  }

  llvm::SmallString<128> tempDir;
  std::string cacheDir;
  MLIRContext context;
};

// The second compile of the same module for the same target is read back,
// whole: the image, the PTX, ptxas's report and the kernels' signatures.
TEST_F(CompileCacheTest, SecondCompileIsServedFromTheCache) {
  if (!havePtxas())
    GTEST_SKIP() << "no ptxas";
  auto module = parseExample("vector_add.mlir");
  ASSERT_TRUE(module);
  CompileCache cache(cacheDir);
  auto first =
      compileModule(*module, target("sm_90a"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(first));
  EXPECT_FALSE(first->fromCache);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(cache.stats().stores, 1u);
  EXPECT_EQ(entries().size(), 1u);
  // The cubin is an ELF file.
  EXPECT_TRUE(llvm::StringRef(first->image)
                  .starts_with("\x7f"
                               "ELF"));

  auto second =
      compileModule(*module, target("sm_90a"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(second));
  EXPECT_TRUE(second->fromCache);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(second->image, first->image);
  EXPECT_EQ(second->ptx, first->ptx);
  EXPECT_EQ(second->ptxasInfo, first->ptxasInfo);
  ASSERT_EQ(second->kernels.size(), 1u);
  const KernelInfo &a = first->kernels[0], &b = second->kernels[0];
  EXPECT_EQ(b.name, "vector_add");
  EXPECT_EQ(b.numWarps, a.numWarps);
  EXPECT_EQ(b.sharedBytes, a.sharedBytes);
  // sm_90a: the kernel waits for its prerequisites (griddepcontrol.wait), and
  // the cache keeps that fact.
  EXPECT_TRUE(a.waitsForPrerequisites);
  EXPECT_EQ(b.waitsForPrerequisites, a.waitsForPrerequisites);
  ASSERT_EQ(b.params.size(), 4u);
  for (size_t i = 0; i < a.params.size(); ++i) {
    EXPECT_EQ(b.params[i].kind, a.params[i].kind);
    EXPECT_EQ(b.params[i].name, a.params[i].name);
    EXPECT_EQ(b.params[i].alignment, a.params[i].alignment);
    EXPECT_EQ(b.params[i].divisibility, a.params[i].divisibility);
  }

  // Another cache object on the same directory (another process) hits too.
  CompileCache again(cacheDir);
  auto third =
      compileModule(*module, target("sm_90a"), ImageKind::Cubin, &again);
  ASSERT_TRUE(succeeded(third));
  EXPECT_TRUE(third->fromCache);
  EXPECT_EQ(again.stats().hits, 1u);
}

// A PTX image (what tile-run loads) is cached the same way, apart from cubins.
TEST_F(CompileCacheTest, PtxImagesAreCachedApartFromCubins) {
  auto module = parseExample("copy.mlir");
  ASSERT_TRUE(module);
  CompileCache cache(cacheDir);
  auto first = compileModule(*module, target("sm_80"), ImageKind::PTX, &cache);
  ASSERT_TRUE(succeeded(first));
  EXPECT_NE(first->image.find(".entry copy"), std::string::npos);
  auto second = compileModule(*module, target("sm_80"), ImageKind::PTX, &cache);
  ASSERT_TRUE(succeeded(second));
  EXPECT_TRUE(second->fromCache);
  EXPECT_EQ(second->image, first->image);
  EXPECT_EQ(second->kind, ImageKind::PTX);
  EXPECT_NE(compileCacheKey(*module, target("sm_80"), ImageKind::PTX),
            compileCacheKey(*module, target("sm_80"), ImageKind::Cubin));
}

// Another target, another num_warps or another module is another entry.
TEST_F(CompileCacheTest, DifferentTargetOptionsOrModuleMiss) {
  auto add = parseExample("vector_add.mlir");
  auto copy = parseExample("copy.mlir");
  ASSERT_TRUE(add && copy);
  CompileCache cache(cacheDir);
  ASSERT_TRUE(
      succeeded(compileModule(*add, target("sm_90a"), ImageKind::PTX, &cache)));
  auto other = compileModule(*add, target("sm_80"), ImageKind::PTX, &cache);
  ASSERT_TRUE(succeeded(other));
  EXPECT_FALSE(other->fromCache);
  PipelineOptions eightWarps = target("sm_90a");
  eightWarps.numWarps = 8;
  auto warps = compileModule(*add, eightWarps, ImageKind::PTX, &cache);
  ASSERT_TRUE(succeeded(warps));
  EXPECT_FALSE(warps->fromCache);
  auto module = compileModule(*copy, target("sm_90a"), ImageKind::PTX, &cache);
  ASSERT_TRUE(succeeded(module));
  EXPECT_FALSE(module->fromCache);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(cache.stats().misses, 4u);
  EXPECT_EQ(entries().size(), 4u);

  // Each of the lowering's schedule options, when set, is another key (each
  // set to its default too: set is not unset); unset keeps the key.
  std::string plain = compileCacheKey(*add, target("sm_90a"), ImageKind::PTX);
  std::set<std::string> keys = {plain};
  for (int option = 0; option < 10; ++option)
    for (int value = 0; value < 2; ++value) {
      PipelineOptions o = target("sm_90a");
      if (option == 0)
        o.sinkSharedLoads = value == 1;
      else if (option == 1)
        o.prefetchKSteps = unsigned(value);
      else if (option == 2)
        o.mmaKInnermost = value == 1;
      else if (option == 3)
        o.intToFloat = value == 1;
      else if (option == 4)
        o.pipelineOtherLoads = value == 1;
      else if (option == 5)
        o.pipelineCopiesAt = value ? "bottom" : "top";
      else if (option == 6)
        o.minProgramsPerSM = unsigned(value + 1);
      else if (option == 7)
        o.asyncWarpgroupDots = value == 1;
      else if (option == 8)
        o.widenAhead = value == 1;
      else
        o.numStages = unsigned(value + 2);
      EXPECT_TRUE(keys.insert(compileCacheKey(*add, o, ImageKind::PTX)).second)
          << "option " << option << " = " << value << " shares a key";
    }
  // A flag whose default is off: on is another key, off keeps the key.
  PipelineOptions immediates = target("sm_90a");
  immediates.sharedImmediateOffsets = true;
  EXPECT_TRUE(
      keys.insert(compileCacheKey(*add, immediates, ImageKind::PTX)).second);
  EXPECT_EQ(compileCacheKey(*add, target("sm_90a"), ImageKind::PTX), plain);

  // Changing one constant of the module changes the key.
  std::string before = compileCacheKey(*add, target("sm_90a"), ImageKind::PTX);
  (*add)->setAttr("tile.num_warps",
                  IntegerAttr::get(IntegerType::get(&context, 32), 8));
  EXPECT_NE(compileCacheKey(*add, target("sm_90a"), ImageKind::PTX), before);
}

// A truncated entry and an entry with a flipped byte are refused, recompiled
// and replaced; never loaded.
TEST_F(CompileCacheTest, CorruptEntryIsRecompiled) {
  if (!havePtxas())
    GTEST_SKIP() << "no ptxas";
  auto module = parseExample("vector_add.mlir");
  ASSERT_TRUE(module);
  CompileCache cache(cacheDir);
  auto first =
      compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(first));
  std::string path = cache.pathFor(
      compileCacheKey(*module, target("sm_80"), ImageKind::Cubin));
  auto original = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  ASSERT_TRUE(original);
  std::string bytes = (*original)->getBuffer().str();

  auto rewrite = [&](llvm::StringRef content) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << content;
  };
  // Truncated: the header promises more than there is.
  rewrite(llvm::StringRef(bytes).take_front(bytes.size() / 2));
  auto truncated =
      compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(truncated));
  EXPECT_FALSE(truncated->fromCache);
  EXPECT_EQ(truncated->image, first->image);
  EXPECT_EQ(cache.stats().corrupt, 1u);

  // The recompile replaced the entry: the next compile hits.
  auto repaired =
      compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(repaired));
  EXPECT_TRUE(repaired->fromCache);

  // One byte of the cubin flipped: the size is right, the checksum is not.
  std::string flipped = bytes;
  flipped[flipped.size() - 100] ^= 0x40;
  rewrite(flipped);
  auto corrupt =
      compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache);
  ASSERT_TRUE(succeeded(corrupt));
  EXPECT_FALSE(corrupt->fromCache);
  EXPECT_EQ(corrupt->image, first->image);
  EXPECT_EQ(cache.stats().corrupt, 2u);

  // An empty file and garbage are refused too.
  rewrite("");
  EXPECT_FALSE(compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache)
                   ->fromCache);
  rewrite("not a cache entry at all, but long enough to hold a header.....");
  EXPECT_FALSE(compileModule(*module, target("sm_80"), ImageKind::Cubin, &cache)
                   ->fromCache);
  EXPECT_EQ(cache.stats().corrupt, 4u);
  // No temporary files are left behind.
  EXPECT_EQ(entries().size(), 1u);
}

// A cache directory that cannot be created (its parent is a file; permissions
// would not stop root) still compiles, with exactly one warning.
TEST_F(CompileCacheTest, UnwritableDirectoryStillCompiles) {
  std::string file = (tempDir + "/file").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os << "x";
  }
  auto module = parseExample("copy.mlir");
  ASSERT_TRUE(module);
  CompileCache cache(file + "/cache");
  testing::internal::CaptureStderr();
  auto first = compileModule(*module, target("sm_90a"), ImageKind::PTX, &cache);
  auto second =
      compileModule(*module, target("sm_90a"), ImageKind::PTX, &cache);
  std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(succeeded(first));
  ASSERT_TRUE(succeeded(second));
  EXPECT_FALSE(second->fromCache);
  EXPECT_EQ(second->image, first->image);
  EXPECT_GE(cache.stats().errors, 2u);
  EXPECT_EQ(cache.stats().stores, 0u);
  size_t at = err.find("warning: JIT cache");
  ASSERT_NE(at, std::string::npos) << err;
  EXPECT_EQ(err.find("warning: JIT cache", at + 1), std::string::npos) << err;
}

// A disabled cache compiles every time and writes nothing.
TEST_F(CompileCacheTest, DisabledCacheCompilesEveryTime) {
  auto module = parseExample("copy.mlir");
  ASSERT_TRUE(module);
  CompileCache cache("");
  EXPECT_FALSE(cache.enabled());
  for (int i = 0; i < 2; ++i) {
    auto compiled =
        compileModule(*module, target("sm_90a"), ImageKind::PTX, &cache);
    ASSERT_TRUE(succeeded(compiled));
    EXPECT_FALSE(compiled->fromCache);
  }
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(cache.stats().stores, 0u);
  EXPECT_TRUE(entries().empty());
}

/// Sets an environment variable for a scope, restoring it after.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = std::getenv(name))
      previous = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (previous)
      setenv(name, previous->c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  std::optional<std::string> previous;
};

// Where the environment puts the cache, and how it turns it off.
TEST(CompileCacheEnvironment, DirectoryFromEnvironment) {
  ScopedEnv noCache("TILE_NO_CACHE", nullptr);
  {
    ScopedEnv dir("TILE_CACHE_DIR", "/some/where");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(), "/some/where");
    ScopedEnv off("TILE_NO_CACHE", "1");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(), "");
    ScopedEnv zero("TILE_NO_CACHE", "0");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(), "/some/where");
  }
  {
    ScopedEnv empty("TILE_CACHE_DIR", "");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(), "");
  }
  ScopedEnv unset("TILE_CACHE_DIR", nullptr);
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/xdg/cache");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(), "/xdg/cache/tile");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(CompileCache::directoryFromEnvironment(),
              "/home/someone/.cache/tile");
  }
}

} // namespace
