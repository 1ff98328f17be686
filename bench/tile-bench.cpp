//===- tile-bench.cpp - The benchmark driver ------------------------------===//
//
// Runs the registered benchmark cases on device 0 and prints, for each, the
// median time, the bandwidth or FLOP rate, and the bandwidth as a share of a
// device-to-device copy measured in the same run. The cases live in their
// own files (TILE_BENCH_CASE_SOURCES); this file defines only "copy/d2d",
// which shows that baseline.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <regex>
#include <string>

using namespace tile;
using namespace tile::bench;

namespace {

//===----------------------------------------------------------------------===//
// The baseline case
//===----------------------------------------------------------------------===//

rt::Status reportCopyBaseline(BenchContext &context) {
  size_t mib = context.copyBytes() >> 20;
  context.reportCopy("copy/d2d",
                     std::to_string(mib) + " MiB cuMemcpyDtoDAsync",
                     context.copyMeasurement(),
                     2.0 * double(context.copyBytes()));
  return rt::Status::ok();
}

TILE_BENCH_CASE("copy/d2d", "copy", reportCopyBaseline);

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

struct Options {
  std::string filter;
  std::string jsonPath;
  int reps = 100;
  int warmup = 10;
  bool list = false;
  bool allowNoGpu = false;
  bool gated = true;
  bool sameSizeCopy = false;
};

const char *const kUsage =
    "usage: tile-bench [options]\n"
    "Times the registered benchmark cases on GPU 0 (median of CUDA-event\n"
    "timings over rotating buffers) and compares each bandwidth with a\n"
    "device-to-device copy measured in the same run. Each case also reports\n"
    "the mean time per launch of a batch queued back to back (no events\n"
    "between launches), and of the same batch with programmatic dependent\n"
    "launch (\"overlapped\": each launch may start while the one before it\n"
    "finishes; kernels for sm_90 and later wait for their predecessor's\n"
    "writes with griddepcontrol.wait).\n"
    "\n"
    "  --filter PATTERN  run the cases whose name or group contains PATTERN\n"
    "                    or matches it as a regular expression\n"
    "  --json FILE       also write every result to FILE as JSON\n"
    "  --reps N          timed repetitions per measurement (default 100)\n"
    "  --warmup N        untimed launches before them (default 10)\n"
    "  --list            list the cases and exit\n"
    "  --no-gate         time each launch as the host issues it, without\n"
    "                    queueing a batch behind a stream gate first\n"
    "  --same-size-copy  also time the driver's copy of each case's bytes\n"
    "                    right after it and print the case's speed against\n"
    "                    it: a copy that pays the same launch floor and\n"
    "                    first-load latency (about twice the run time)\n"
    "  --allow-no-gpu    exit 0, not 2, when there is no GPU\n"
    "  --help            show this text\n";

bool parsePositive(const char *text, int &out) {
  char *end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (!*text || *end || value < 0 || value > 1000000)
    return false;
  out = int(value);
  return true;
}

/// Parses argv into `options`; on error prints why and returns false.
bool parseOptions(int argc, char **argv, Options &options, bool &help) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool hasValue = false;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != arg.npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      hasValue = true;
    }
    auto takeValue = [&]() -> bool {
      if (hasValue)
        return true;
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tile-bench: %s needs a value\n", arg.c_str());
        return false;
      }
      value = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      help = true;
    } else if (arg == "--list") {
      options.list = true;
    } else if (arg == "--allow-no-gpu") {
      options.allowNoGpu = true;
    } else if (arg == "--same-size-copy") {
      options.sameSizeCopy = true;
    } else if (arg == "--no-gate") {
      options.gated = false;
    } else if (arg == "--filter") {
      if (!takeValue())
        return false;
      options.filter = value;
    } else if (arg == "--json") {
      if (!takeValue())
        return false;
      options.jsonPath = value;
    } else if (arg == "--reps" || arg == "--warmup") {
      if (!takeValue())
        return false;
      int &target = arg == "--reps" ? options.reps : options.warmup;
      if (!parsePositive(value.c_str(), target) ||
          (arg == "--reps" && target == 0)) {
        std::fprintf(stderr, "tile-bench: %s wants a count, got '%s'\n",
                     arg.c_str(), value.c_str());
        return false;
      }
    } else {
      std::fprintf(stderr, "tile-bench: unknown option '%s' (see --help)\n",
                   argv[i]);
      return false;
    }
  }
  return true;
}

/// The cases selected by --filter: a substring of the name or group, or a
/// regular expression that matches part of the name.
std::vector<const BenchCase *> selectCases(const std::string &filter) {
  std::vector<const BenchCase *> selected;
  std::regex pattern;
  bool isRegex = false;
  if (!filter.empty()) {
    try {
      pattern = std::regex(filter, std::regex::ECMAScript);
      isRegex = true;
    } catch (...) {
      // Not a valid regular expression: a plain substring filter then.
    }
  }
  for (const BenchCase &c : registeredCases()) {
    bool match = filter.empty() || c.name.find(filter) != std::string::npos ||
                 c.group.find(filter) != std::string::npos ||
                 (isRegex && std::regex_search(c.name, pattern));
    if (match)
      selected.push_back(&c);
  }
  return selected;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
        out += escaped;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

/// A number, or null where the quantity does not apply to the result.
std::string jsonNumber(double value, bool present = true) {
  if (!present)
    return "null";
  char text[64];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

bool writeJson(const std::string &path, const BenchContext &context,
               const std::string &date) {
  std::FILE *file = std::fopen(path.c_str(), "w");
  if (!file) {
    std::fprintf(stderr, "tile-bench: cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  const rt::DeviceInfo &device = context.device();
  std::string gpu = jsonString(device.name);
  std::string when = jsonString(date);
  std::fprintf(file, "{\n  \"gpu\": %s,\n  \"compute_capability\": %d,\n",
               gpu.c_str(), device.computeCapability);
  std::fprintf(file, "  \"date\": %s,\n  \"reps\": %d,\n", when.c_str(),
               context.reps());
  std::fprintf(file, "  \"copy_gbps\": %s,\n  \"results\": [",
               jsonNumber(context.copyGbps()).c_str());
  const std::vector<BenchResult> &results = context.results();
  for (size_t i = 0; i < results.size(); ++i) {
    const BenchResult &r = results[i];
    std::fprintf(
        file,
        "%s\n    {\"case\": %s, \"problem\": %s, \"us\": %s, \"gbps\": %s, "
        "\"pct_of_copy\": %s, \"tflops\": %s, \"us_back_to_back\": %s, "
        "\"us_overlapped\": %s, \"us_same_size_copy\": %s, "
        "\"pct_of_same_size_copy\": %s, \"gpu\": %s, \"date\": %s}",
        i ? "," : "", jsonString(r.name).c_str(), jsonString(r.problem).c_str(),
        jsonNumber(r.us).c_str(), jsonNumber(r.gbps, r.bytes > 0).c_str(),
        jsonNumber(r.pctOfCopy, r.bytes > 0 && r.pctOfCopy > 0).c_str(),
        jsonNumber(r.tflops, r.flops > 0).c_str(),
        jsonNumber(r.backToBackUs, r.backToBackUs > 0).c_str(),
        jsonNumber(r.overlappedUs, r.overlappedUs > 0).c_str(),
        jsonNumber(r.sameSizeCopyUs, r.sameSizeCopyUs > 0).c_str(),
        jsonNumber(r.pctOfSameSizeCopy, r.pctOfSameSizeCopy > 0).c_str(),
        gpu.c_str(),
        when.c_str());
  }
  std::fprintf(file, "\n  ]\n}\n");
  bool ok = std::ferror(file) == 0;
  ok = std::fclose(file) == 0 && ok;
  if (!ok)
    std::fprintf(stderr, "tile-bench: error writing %s\n", path.c_str());
  return ok;
}

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  bool help = false;
  if (!parseOptions(argc, argv, options, help))
    return 2;
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::vector<const BenchCase *> cases = selectCases(options.filter);
  if (options.list) {
    for (const BenchCase *c : cases)
      std::printf("%-32s %s\n", c->name.c_str(), c->group.c_str());
    return 0;
  }
  if (cases.empty()) {
    std::fprintf(stderr, "tile-bench: no case matches '%s' (see --list)\n",
                 options.filter.c_str());
    return 1;
  }

  if (rt::Status s = rt::init(); !s) {
    std::fprintf(stderr, "tile-bench: no GPU: %s\n", s.str().c_str());
    return options.allowNoGpu ? 0 : 2;
  }
  rt::Result<std::unique_ptr<BenchContext>> created =
      BenchContext::create(options.reps, options.warmup, options.gated);
  if (!created) {
    std::fprintf(stderr, "tile-bench: %s\n", created.status().str().c_str());
    return 1;
  }
  BenchContext &context = *created.value();
  context.setSameSizeCopy(options.sameSizeCopy);
  const rt::DeviceInfo &device = context.device();
  std::string date = utcNow();
  std::printf("tile-bench: %s (sm_%d, %d SMs, %d MiB L2, %.1f GiB), %d reps, "
              "%s\n",
              device.name.c_str(), device.computeCapability, device.smCount,
              device.l2CacheBytes >> 20,
              double(device.globalMemoryBytes) / double(1ull << 30),
              context.reps(), date.c_str());

  // 1 GiB copied (2 GiB moved), or less where memory is short: large
  // enough that neither the L2 nor launch latency shows.
  size_t copyBytes = size_t(1) << 30;
  if (rt::Result<rt::MemoryInfo> memory = rt::memoryInfo(); memory)
    while (copyBytes > (size_t(1) << 24) && 4 * copyBytes > memory->freeBytes)
      copyBytes /= 2;
  if (rt::Status s = context.measureCopyBaseline(copyBytes); !s) {
    std::fprintf(stderr, "tile-bench: measuring the copy baseline: %s\n",
                 s.str().c_str());
    return 1;
  }
  std::printf("baseline: device-to-device copy %.1f GB/s (read + write)%s\n",
              context.copyGbps(),
              context.copyMeasurement().gated
                  ? ""
                  : "; launches not gated: short kernels read slow");

  int failures = 0;
  for (const BenchCase *c : cases) {
    rt::Status s = c->run(context);
    if (!s) {
      ++failures;
      std::printf("%-32s FAILED: %s\n", c->name.c_str(), s.str().c_str());
      std::fflush(stdout);
    }
  }
  if (!options.jsonPath.empty() && !writeJson(options.jsonPath, context, date))
    return 1;
  return failures ? 1 : 0;
}
