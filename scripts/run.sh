#!/usr/bin/env bash
# The main job: installs what is missing, builds everything, then runs tile-opt
# on every shipped example kernel (kernels/examples/*.mlir): parse, verify,
# canonicalize and combine, and print the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR="${BUILD_DIR:-build}"
cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR"
for kernel in kernels/examples/*.mlir; do
  echo "=== $kernel: tile-opt -canonicalize -tile-combine -cse"
  "$BUILD_DIR/bin/tile-opt" "$kernel" -canonicalize -tile-combine -cse
done
