#!/usr/bin/env bash
# The main job: installs what is missing, builds everything, then
# 1. compiles every shipped kernel (the DSL's quantization kernels and the
#    examples of kernels/examples/*.mlir) to PTX and cubin for sm_90a and
#    sm_80 and prints, per kernel, its registers, shared memory and the key
#    instructions;
# 2. runs each DSL kernel through tile-run on a representative problem (the
#    GPU when there is one, the interpreter otherwise) and prints a table:
#    kernel, problem, backend, verdict (and on the GPU, us and GB/s);
# 3. with a GPU, runs the GPU tests and the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR="${BUILD_DIR:-build}"
cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$BUILD_DIR"

bin="$BUILD_DIR/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

count() { grep -cE "$1" "$2" || true; }

printf '\n%-14s %-7s %5s %6s %8s  %s\n' kernel target regs smem threads \
  "key instructions (count in the PTX)"
for kernel in group_quant token_quant silu_mul_quant silu_mul_nvfp4 matmul grouped_gemm_i8 kernels/examples/*.mlir; do
  name="$(basename "$kernel" .mlir)"
  for target in sm_90a sm_80; do
    ptx="$work/$name.$target.ptx"
    "$bin/tile-compile" "$kernel" --target "$target" --emit ptx -o "$ptx"
    "$bin/tile-compile" "$kernel" --target "$target" --emit cubin \
      -o "$work/$name.$target.cubin" --print-resources 2> "$work/report"
    regs="$(sed -n 's/.*Used \([0-9]*\) registers.*/\1/p' "$work/report" | head -1)"
    smem="$(sed -n 's/.*threads, \([0-9]*\) bytes of dynamic.*/\1/p' "$work/report" | head -1)"
    threads="$(sed -n 's/.*kernel [^:]*: \([0-9]*\) threads.*/\1/p' "$work/report" | head -1)"
    keys="ld.nc.v4=$(count 'ld\.global\.nc.*\.v4' "$ptx")"
    keys+=" ld=$(count 'ld\.global' "$ptx")"
    keys+=" st.v4/v2=$(count 'st\.global.*\.v[24]' "$ptx")"
    keys+=" st=$(count 'st\.global' "$ptx")"
    keys+=" shfl.bfly=$(count 'shfl\.sync\.bfly' "$ptx")"
    keys+=" bar=$(count 'bar\.sync' "$ptx")"
    keys+=" cvt.e4m3x2=$(count 'cvt\.rn\.satfinite\.e4m3x2' "$ptx")"
    keys+=" cvt.s8=$(count 'cvt\.r[nz]i\.sat\.s8' "$ptx")"
    keys+=" ex2=$(count 'ex2\.approx' "$ptx")"
    keys+=" mma=$(count 'mma\.sync' "$ptx")"
    keys+=" ldmatrix=$(count 'ldmatrix' "$ptx")"
    keys+=" cp.async=$(count 'cp\.async\.cg' "$ptx")"
    printf '%-14s %-7s %5s %6s %8s  %s\n' "$name" "$target" "$regs" "$smem" \
      "$threads" "$keys"
  done
done

echo
echo "tile-run: each kernel on fresh random inputs, every output checked against its reference"
status=0
while read -r kernel args; do
  if ! "$bin/tile-run" "$kernel" $args > "$work/run" 2>&1; then status=1; fi
  head="$(head -1 "$work/run")"
  verdict="$(grep -c ': OK' "$work/run" || true) OK, $(grep -c 'MISMATCH' "$work/run" || true) mismatched"
  printf '  %-70s %s\n' "$head" "$verdict"
  grep -E 'MISMATCH|tile-run:' "$work/run" | sed 's/^/    /' || true
done < <(grep -v '^#' scripts/problems.txt)

echo
if command -v nvidia-smi > /dev/null 2>&1 && nvidia-smi -L > /dev/null 2>&1; then
  echo "GPU found: running the kernels against their references, then timing them"
  "$bin/tile-gpu-tests"
  "$bin/tile-bench"
else
  echo "No GPU on this machine: the kernels were compiled and checked by ptxas only."
  echo "Their GPU runs are recorded in bench/RESULTS.md (tile-gpu-tests, tile-bench)."
fi
exit $status
