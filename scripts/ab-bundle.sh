#!/usr/bin/env bash
# Builds the GPU bundle of these sources with extra tile-compile flags for
# every ahead-of-time kernel, to measure a lowering option against the
# default build in one device call.
#
#   scripts/ab-bundle.sh NAME [TILE-COMPILE FLAG ...]
#
# configures build-ab-NAME/ (Ninja, Release, -DTILE_AOT_FLAGS=FLAGS; ccache
# makes its C++ nearly free after the main build, the AOT headers are
# compiled again), builds its gpu-bundle target and copies the bundle to
# build/ab/NAME/ (ignored by git; pass it to the device tool in `carry`).
# With no flags it is the default build's bundle. Then, on the GPU machine:
#
#   scripts/ab-bench.sh 'FILTER' build/ab/base build/ab/NAME ...
#
# Example: scripts/ab-bundle.sh base; scripts/ab-bundle.sh kinner
# --mma-k-innermost; scripts/ab-bundle.sh nosink --sink-shared-loads=false.
set -euo pipefail
# The comment above, from the line after the shebang to the first line
# that is not a comment.
usage() { sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; }
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
esac
if [ $# -lt 1 ]; then
  usage >&2; exit 2
fi
name="$1"; shift
case "$name" in
  *[!A-Za-z0-9_-]*|"") echo "ab-bundle: NAME must be letters, digits, - or _ (got '$name')" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-ab-$name"
flags="$(IFS=';'; echo "$*")"
start=$(date +%s)
mkdir -p "$build"
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  "-DTILE_AOT_FLAGS=$flags" > "$build/ab-configure.log" 2>&1 \
  || { echo "ab-bundle: configure failed, see $build/ab-configure.log" >&2; exit 1; }
cmake --build "$build" --target gpu-bundle > "$build/ab-build.log" 2>&1 \
  || { echo "ab-bundle: build failed, see $build/ab-build.log" >&2; tail -n 20 "$build/ab-build.log" >&2; exit 1; }
mkdir -p "$root/build/ab"
rm -rf "$root/build/ab/$name"
cp -r "$build/gpu-bundle" "$root/build/ab/$name"
printf '%s\n' "$@" > "$root/build/ab/$name/FLAGS"
echo "ab-bundle: build/ab/$name (flags: ${*:-none}) in $(( $(date +%s) - start )) s"
