#!/usr/bin/env bash
# run-pytest.sh SOURCE_DIR WORK_DIR [pytest args...]
# Installs the Python package from SOURCE_DIR/python into a venv under
# WORK_DIR (made once; the package's build is kept in WORK_DIR/build) and
# runs its tests (SOURCE_DIR/test/python) with pytest.
set -euo pipefail
src="$(cd "$1" && pwd)"
work="$2"
shift 2
mkdir -p "$work"
venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check \
  -r "$src/python/requirements-test.txt"
# The repository's CMake configure and build for the wheel, kept between
# runs (scikit-build-core rebuilds only what changed).
"$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation \
  --no-deps --force-reinstall "$src/python" --config-settings="build-dir=$work/build"
cd "$work"
exec "$py" -m pytest -q -p no:cacheprovider "$src/test/python" "$@"
