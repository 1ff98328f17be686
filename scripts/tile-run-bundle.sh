#!/usr/bin/env bash
# Packs build/bin/tile-run with the shared libraries it loads (libLLVM and
# its dependencies; not the C library) into build/tile-run-bundle/
# tile-run.tar.xz, so that tile-run --backend gpu can run on a GPU machine
# without LLVM (carry build/tile-run-bundle; scripts/gpu-tile-run.sh unpacks
# it there). About 50 MB; xz takes a minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
bin="$BUILD_DIR/bin/tile-run"
[ -x "$bin" ] || { echo "tile-run-bundle: $bin not built (ninja -C $BUILD_DIR tile-run)" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$BUILD_DIR/tile-run-bundle"
cp "$bin" "$stage/"
ldd "$bin" | awk '/=>/ { print $3 }' | grep -vE '/(libc|libm|libdl|libpthread|librt)\.so|ld-linux' |
  while read -r lib; do cp -L "$lib" "$stage/lib/"; done
strip "$stage/tile-run" "$stage"/lib/* 2> /dev/null || true
tar -C "$stage" -cf - . | xz -6 -T2 > "$BUILD_DIR/tile-run-bundle/tile-run.tar.xz.part"
mv "$BUILD_DIR/tile-run-bundle/tile-run.tar.xz.part" "$BUILD_DIR/tile-run-bundle/tile-run.tar.xz"
ls -l "$BUILD_DIR/tile-run-bundle/tile-run.tar.xz"
