#!/usr/bin/env bash
# Runs on the GPU machine from build/gpu-bundle/ (copied there by the
# gpu-bundle target). Logs and summaries go to $OUT (or ./gpu-out). One device
# command may run at most 10 minutes, so the work comes in modes:
#
#   gpu-bundle-run.sh [BENCH ARGS]     the default, as before: the GPU tests
#                                      (all, LargeGpu.* included), the runtime
#                                      tests and the benchmark
#   gpu-bundle-run.sh tests            the GPU tests but LargeGpu.*, and the
#                                      runtime tests
#   gpu-bundle-run.sh large            the GPU tests of LargeGpu.* only
#                                      (problems past 2^31 elements, every
#                                      f32 through every conversion and
#                                      through SiLU's flush-safe forms;
#                                      about 6 minutes)
#   gpu-bundle-run.sh bench [ARGS]     the benchmark alone
#   gpu-bundle-run.sh sanitize [TOOL...]
#                                      compute-sanitizer over the whole GPU
#                                      test binary, once per tool (memcheck
#                                      with --leak-check full, initcheck,
#                                      synccheck, racecheck; all four, in
#                                      that order, when none is named),
#                                      each with --error-exitcode 1;
#                                      LargeGpu.* and
#                                      timing checks left out. Each tool's log
#                                      is sanitize-<tool>.log, one line per
#                                      tool in sanitize-summary.txt: passed,
#                                      FAILED, incomplete (timed out) or
#                                      skipped: <reason>. SANITIZER_BUDGET
#                                      (seconds, default 540) is shared among
#                                      the tools of one call, each taking an
#                                      equal share of what is left (a fast
#                                      tool's time goes to those after it).
#
# The exit status is 0 only when everything that ran passed (a skipped
# sanitizer does not count as passed: its mode exits 2 when nothing failed
# but something was skipped or incomplete).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/gpu-out}"
mkdir -p "$out"
status=0

# Tests that time things: meaningless under a sanitizer, which slows every
# launch by orders of magnitude.
timing_filter='*LaunchOverhead*:*Overhead*:*Timing*'

device_info() {
  {
    date -u
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,memory.used,memory.total --format=csv 2>&1
  } > "$out/device.txt"
}

# run_gpu_tests LOG FILTER: the GPU test binary with a gtest filter.
run_gpu_tests() {
  local log="$1" filter="$2"
  "$here/tile-gpu-tests" --gtest_filter="$filter" \
    --gtest_output="json:$out/${log%.log}.json" > "$out/$log" 2>&1 || status=1
  echo "==> $out/$log <=="
  tail -n 3 "$out/$log"
}

run_runtime_tests() {
  "$here/tile-runtime-tests" > "$out/runtime-tests.log" 2>&1 || status=1
  echo "==> $out/runtime-tests.log <=="
  tail -n 3 "$out/runtime-tests.log"
}

run_bench() {
  "$here/tile-bench" --json "$out/bench.json" "$@" > "$out/bench.log" 2>&1 || status=1
  cat "$out/bench.log"
}

# sanitize TOOL...: each tool over tile-gpu-tests; a line per tool in
# sanitize-summary.txt.
sanitize() {
  local tools=("$@")
  # racecheck, the slowest, last: it gets what the others leave.
  [ ${#tools[@]} -eq 0 ] && tools=(memcheck initcheck synccheck racecheck)
  local summary="$out/sanitize-summary.txt"
  local sanitizer="${COMPUTE_SANITIZER:-/usr/local/cuda/bin/compute-sanitizer}"
  local budget="${SANITIZER_BUDGET:-540}"
  # Each tool gets an equal share of what is left of the budget, so the
  # time a fast tool leaves goes to the ones after it.
  local began=$SECONDS left_tools=${#tools[@]} per_tool
  local filter="-LargeGpu.*:$timing_filter"
  : > "$summary"
  local failed=0 skipped=0
  {
    echo "compute-sanitizer over tile-gpu-tests, $(date -u)"
    echo "left out: LargeGpu.* (problems past 2^31 elements and all 2^32 f32 inputs, far too slow under a sanitizer) and the timing checks ($timing_filter)"
    echo "gtest filter: $filter; $budget s in all, each tool an equal share of what is left"
    echo "memcheck's leak check reports device allocations still live when a CUDA context is destroyed"
  } | tee -a "$summary"
  if [ ! -x "$sanitizer" ]; then
    sanitizer="$(command -v compute-sanitizer || true)"
  fi
  for tool in "${tools[@]}"; do
    local log="$out/sanitize-$tool.log" line
    per_tool=$(( (budget - (SECONDS - began)) / left_tools ))
    left_tools=$(( left_tools - 1 ))
    [ $per_tool -lt 1 ] && per_tool=1
    case "$tool" in
      memcheck) extra=(--tool memcheck --leak-check full) ;;
      racecheck) extra=(--tool racecheck --racecheck-report all) ;;
      initcheck|synccheck) extra=(--tool "$tool") ;;
      *)
        echo "$tool: skipped: not a compute-sanitizer tool (memcheck, racecheck, initcheck, synccheck)" | tee -a "$summary"
        skipped=1
        continue ;;
    esac
    if [ -z "$sanitizer" ] || [ ! -x "$sanitizer" ]; then
      echo "$tool: skipped: compute-sanitizer not found (${COMPUTE_SANITIZER:-/usr/local/cuda/bin/compute-sanitizer}, PATH)" | tee -a "$summary"
      skipped=1
      continue
    fi
    echo "\$ $sanitizer ${extra[*]} --error-exitcode 1 tile-gpu-tests --gtest_filter=$filter" > "$log"
    local start=$SECONDS rc
    timeout --kill-after=10 "$per_tool" "$sanitizer" "${extra[@]}" --error-exitcode 1 \
      "$here/tile-gpu-tests" --gtest_filter="$filter" >> "$log" 2>&1
    rc=$?
    local took=$(( SECONDS - start ))
    # The tool's summary ("========= ERROR SUMMARY: N errors"), and gtest's.
    local errors tests_passed tests_skipped tests_failed
    # racecheck may summarize as "RACECHECK SUMMARY: N hazards displayed (E
    # errors, W warnings)": either line counts.
    errors="$(grep -E '^=+ (ERROR|RACECHECK) SUMMARY:' "$log" | tail -n 1 | sed -E 's/^=+ //')"
    tests_passed="$(grep -E '^\[  PASSED  \] [0-9]+ tests?' "$log" | tail -n 1 | sed -E 's/^\[  PASSED  \] ([0-9]+ tests?).*/\1/')"
    tests_skipped="$(grep -E '^\[  SKIPPED \] [0-9]+ tests?' "$log" | tail -n 1 | sed -E 's/^\[  SKIPPED \] ([0-9]+ tests?).*/\1/')"
    tests_failed="$(grep -E '^\[  FAILED  \] [0-9]+ tests?' "$log" | tail -n 1 | sed -E 's/^\[  FAILED  \] ([0-9]+ tests?).*/\1/')"
    local ran="${tests_passed:-no test} passed${tests_skipped:+, $tests_skipped skipped}${tests_failed:+, $tests_failed FAILED}; ${took} s"
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
      line="$tool: incomplete: timed out after $per_tool s (${errors:-no ERROR SUMMARY line}; $ran)"
      skipped=1
    elif [ -z "$errors" ]; then
      line="$tool: skipped: compute-sanitizer did not run the tests (exit $rc, no ERROR SUMMARY line): $(grep -v '^\$ ' "$log" | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-300)"
      skipped=1
    elif [ -z "$tests_passed" ] && [ -z "$tests_failed" ]; then
      line="$tool: skipped: the tests did not run under the tool (exit $rc, $errors): $(grep -v '^\$ ' "$log" | grep -v '^=' | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-300)"
      skipped=1
    elif [[ "$tests_passed" == 0\ test* ]] && [ -z "$tests_failed" ]; then
      # Every test skipped (no GPU under the tool): nothing was checked.
      line="$tool: skipped: no test ran under the tool ($errors; $ran): $(grep -m 1 -oE 'no GPU: .*' "$log" | cut -c1-200)"
      skipped=1
    elif [ $rc -eq 0 ] && [ -z "$tests_failed" ] &&
         grep -qE '^=+ (ERROR SUMMARY: 0 errors|RACECHECK SUMMARY: .*\(0 errors)' "$log" &&
         ! grep -qE '^=+ ERROR SUMMARY: [1-9]' "$log"; then
      line="$tool: passed ($errors; $ran)"
    else
      line="$tool: FAILED (exit $rc; $errors; $ran)"
      failed=1
    fi
    echo "$line" | tee -a "$summary"
    {
      echo
      echo "summary: $line"
    } >> "$log"
  done
  if [ $failed -ne 0 ]; then
    status=1
  elif [ $skipped -ne 0 ] && [ $status -eq 0 ]; then
    status=2
  fi
}

mode="${1:-all}"
case "$mode" in
  tests|large|bench|sanitize|all) shift $(( $# > 0 ? 1 : 0 )) ;;
  *) mode=all ;; # the default; every argument goes to tile-bench
esac

device_info
case "$mode" in
  all)
    run_gpu_tests gpu-tests.log '*'
    run_runtime_tests
    run_bench "$@"
    ;;
  tests)
    run_gpu_tests gpu-tests.log '-LargeGpu.*'
    run_runtime_tests
    ;;
  large)
    run_gpu_tests gpu-tests-large.log 'LargeGpu.*'
    cat "$out/gpu-tests-large.log" | grep -E '^\[ LargeGpu \]|^\[  (SKIPPED|FAILED) ' || true
    ;;
  bench)
    run_bench "$@"
    ;;
  sanitize)
    sanitize "$@"
    ;;
esac
exit $status
