#!/usr/bin/env bash
# gpu-bundle.sh BUILD_DIR
# Packs what the GPU machine (no LLVM, no network, its own python3 with
# torch) needs to run the Python package's GPU tests and launch-cost script
# into BUILD_DIR/python-gpu-bundle (about 60 MB; carry it with the device
# tool): the tile wheel (built here, in the ctest's build directory), the
# pinned wheels of apache-tvm-ffi, ml_dtypes and pytest for CPython 3.10 to
# 3.13, the tests, and run.sh, which installs them into a venv that sees the
# machine's torch (and numpy) and runs
#   pytest test_gpu_torch.py  and  launch_cost.py   (logs in $OUT)
# Run ctest python (or test/python/run-pytest.sh) once first: it makes the
# venv and the build this reuses.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
work="$build/python"
bundle="$build/python-gpu-bundle"
py="$work/venv/bin/python"
[ -x "$py" ] || { echo "gpu-bundle: run ctest python first ($py is missing)" >&2; exit 1; }
rm -rf "$bundle"
mkdir -p "$bundle/wheels" "$bundle/tests"
"$py" -m pip wheel --quiet --no-build-isolation --no-deps "$src/python" \
  --config-settings="build-dir=$work/build" -w "$bundle/wheels"
# The pinned packages for each CPython the machine may have, and pytest's own
# dependencies.
pins=$(grep -E '^(apache-tvm-ffi|ml_dtypes|pytest)==' "$src/python/requirements-test.txt")
for v in 3.10 3.11 3.12 3.13; do
  # shellcheck disable=SC2086
  "$py" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$v" \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    -d "$bundle/wheels" $pins
done
"$py" -m pip download --quiet --no-deps --only-binary=:all: -d "$bundle/wheels" \
  iniconfig pluggy packaging pygments
"$py" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.10 \
  -d "$bundle/wheels" exceptiongroup tomli
# numpy for Ubuntu 24.04's python3 (3.12), should the machine have none.
"$py" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
  --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 -d "$bundle/wheels" \
  "$(grep -E '^numpy==' "$src/python/requirements-test.txt")"
cp "$src"/test/python/*.py "$bundle/tests/"
cat > "$bundle/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine: bash python-gpu-bundle/run.sh (writes to $OUT if set).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/out}"
mkdir -p "$out"
# The packages go to a directory on PYTHONPATH of the machine's own python3,
# with no dependency resolution: a venv made from that python3 would not see
# its packages when it is itself a venv (the H200 machine's torch lives in
# /opt/torch/.venv), and pip would look for dependencies (typing-extensions)
# that the machine has and the bundle does not carry.
tmp="$(mktemp -d)"
py=python3
python3 -m pip install --quiet --no-index --no-deps --find-links "$here/wheels" \
  --target "$tmp/site" tile-kernels apache-tvm-ffi ml_dtypes pytest iniconfig \
  pluggy packaging pygments 2>&1 | tee "$out/pip.log"
export PYTHONPATH="$tmp/site${PYTHONPATH:+:$PYTHONPATH}"
cd "$here/tests"
"$py" -m pytest -v -p no:cacheprovider test_gpu_torch.py test_gpu_selection.py \
  2>&1 | tee "$out/pytest-gpu.log"
status=${PIPESTATUS[0]}
"$py" launch_cost.py 2>&1 | tee "$out/launch-cost.log"
exit "$status"
RUN
chmod +x "$bundle/run.sh"
du -sh "$bundle"
