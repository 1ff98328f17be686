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

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
