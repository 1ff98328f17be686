#!/usr/bin/env bash
# Installs what the build needs from Debian's packages. Quick when everything is already there:
# it asks dpkg first and runs apt-get only for what is missing.
set -euo pipefail

# python3-venv: the ctest `python` makes a venv and pip-installs the Python
# package and its pinned requirements from PyPI (test/python/run-pytest.sh).
packages=(
  cmake ninja-build ccache g++ python3 python3-venv git
  libgtest-dev googletest librapidcheck-dev
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
else
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# cuobjdump and the nvdisasm it runs, for the lit test that no shipped GEMM
# spills in its K loop (scripts/sass-loops.py --require-no-spills): this
# machine's CUDA has neither, so NVIDIA's PyPI wheels of them are unpacked
# side by side into /opt/tile-tools (a venv's pip downloads them; Debian's
# python3 has no pip of its own).
binutils_version=13.5.37
binutils=/opt/tile-tools/cuda-binutils-$binutils_version
if [ ! -x /usr/local/cuda/bin/cuobjdump ] && ! command -v cuobjdump >/dev/null &&
   ! ls "$binutils"/nvidia/*/bin/nvdisasm >/dev/null 2>&1; then
  echo "setup: fetching cuobjdump and nvdisasm $binutils_version (PyPI: nvidia-cuda-cuobjdump, nvidia-cuda-nvdisasm)"
  $SUDO mkdir -p /opt/tile-tools
  $SUDO python3 -m venv /opt/tile-tools/venv
  download="$(mktemp -d)"
  if $SUDO /opt/tile-tools/venv/bin/python -m pip download --quiet --no-deps \
       --only-binary=:all: -d "$download" "nvidia-cuda-cuobjdump==$binutils_version" \
       "nvidia-cuda-nvdisasm==$binutils_version"; then
    for wheel in "$download"/*.whl; do
      $SUDO python3 -m zipfile -e "$wheel" "$binutils"
    done
    $SUDO chmod +x "$binutils"/nvidia/*/bin/cuobjdump "$binutils"/nvidia/*/bin/nvdisasm
  else
    echo "setup: could not download cuobjdump; the K-loop spill test will be unsupported" >&2
  fi
  rm -rf "$download"
fi
