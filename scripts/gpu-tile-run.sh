#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with build/tile-run-bundle
# carried (scripts/tile-run-bundle.sh): unpacks tile-run and runs the main
# job's problems (scripts/problems.txt) and the benchmark's sizes with
# --backend gpu, then one --save. Output and saved buffers go to $OUT (or
# ./gpu-out). Exit status 1 if any run fails or mismatches.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-gpu-out}"
mkdir -p "$out"
here="$(mktemp -d)"
trap 'rm -rf "$here"' EXIT
tar -C "$here" -xJf build/tile-run-bundle/tile-run.tar.xz || exit 1
run() { LD_LIBRARY_PATH="$here/lib" "$here/tile-run" "$@"; }
status=0
{
  grep -v '^#' scripts/problems.txt
  echo "group_quant --param M=4096 --param K=7168"
  echo "token_quant --param M=16384 --param K=1368"
  echo "silu_mul_quant --param M=4096 --param H=2048"
  echo "silu_mul_nvfp4 --param M=4096 --param K=2048 --param E=8"
} > "$here/problems"
while read -r kernel args; do
  echo "== tile-run $kernel $args --backend gpu"
  run "$kernel" $args --backend gpu || status=1
done < "$here/problems"
echo "== tile-run token_quant --param M=5 --param K=1368 --backend gpu --save"
run token_quant --param M=5 --param K=1368 --backend gpu --save "$out/saved" || status=1
ls -l "$out/saved"
exit $status
