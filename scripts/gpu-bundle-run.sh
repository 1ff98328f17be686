#!/usr/bin/env bash
# Runs on the GPU machine from build/gpu-bundle/ (copied there by the
# gpu-bundle target): the GPU tests, the runtime tests and the benchmark.
# Logs and JSON go to $OUT (or ./gpu-out).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/gpu-out}"
mkdir -p "$out"
status=0
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>&1
} > "$out/device.txt"
"$here/tile-gpu-tests" --gtest_output="json:$out/gpu-tests.json" > "$out/gpu-tests.log" 2>&1 || status=1
"$here/tile-runtime-tests" > "$out/runtime-tests.log" 2>&1 || status=1
"$here/tile-bench" --json "$out/bench.json" "$@" > "$out/bench.log" 2>&1 || status=1
tail -n 3 "$out/gpu-tests.log" "$out/runtime-tests.log"
cat "$out/bench.log"
exit $status
