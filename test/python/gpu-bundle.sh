#!/usr/bin/env bash
# gpu-bundle.sh BUILD_DIR
# Packs what the GPU machine (no LLVM, no network, its own python3 with
# torch) needs to run the Python package's GPU tests and launch-cost script
# into BUILD_DIR/python-gpu-bundle (about 40 MB; carry it with the device
# tool): the tile wheel (built here, in the ctest's build directory), the
# pinned wheels of apache-tvm-ffi, ml_dtypes and pytest for CPython 3.10 to
# 3.13, the tests, and run.sh, which installs them into a venv that sees the
# machine's torch and runs
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
  -C "build-dir=$work/build" -w "$bundle/wheels"
pins=$(grep -E '^(apache-tvm-ffi|ml_dtypes|pytest)==' "$src/python/requirements-test.txt")
for v in 3.10 3.11 3.12 3.13; do
  # shellcheck disable=SC2086
  "$py" -m pip download --quiet --only-binary=:all: --python-version "$v" \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    -d "$bundle/wheels" $pins
done
cp "$src"/test/python/*.py "$bundle/tests/"
cat > "$bundle/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine: bash python-gpu-bundle/run.sh (writes to $OUT if set).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/out}"
mkdir -p "$out"
venv="$(mktemp -d)/venv"
python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install --quiet --no-index --find-links "$here/wheels" \
  tile-kernels apache-tvm-ffi ml_dtypes pytest 2>&1 | tee "$out/pip.log"
cd "$here/tests"
"$venv/bin/python" -m pytest -v -p no:cacheprovider test_gpu_torch.py test_gpu_selection.py \
  2>&1 | tee "$out/pytest-gpu.log"
status=${PIPESTATUS[0]}
"$venv/bin/python" launch_cost.py 2>&1 | tee "$out/launch-cost.log"
exit "$status"
RUN
chmod +x "$bundle/run.sh"
du -sh "$bundle"
