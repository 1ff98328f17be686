# lit configuration of the tile test suite: FileCheck tests on the IR of every
# stage. Run through ctest, or `lit -sv build/test`.
import ctypes
import importlib.util
import os

import lit.formats

config.name = "tile"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tile_obj_root, "test")
# GoogleTest suites and helper inputs are not lit tests.
config.excludes = ["unit", "gpu", "Inputs", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py.in"]

# Our tools first, then LLVM's (FileCheck, not, count).
config.environment["PATH"] = os.pathsep.join(
    [config.tile_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%tile_src_root", config.tile_src_root))

# cuobjdump, found as scripts/sass-loops.py finds it ($TILE_CUOBJDUMP, PATH,
# CUDA's, the one scripts/setup.sh unpacks into /opt/tile-tools): the tests
# that read a cubin's SASS need it (REQUIRES: cuobjdump).
_spec = importlib.util.spec_from_file_location(
    "sass_loops", os.path.join(config.tile_src_root, "scripts", "sass-loops.py"))
_sass_loops = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sass_loops)
cuobjdump = _sass_loops.find_cuobjdump()
if cuobjdump:
    config.available_features.add("cuobjdump")
    config.environment["TILE_CUOBJDUMP"] = cuobjdump

# No CUDA driver on this machine (the CI and build machines: the runtime's
# dlopen of libcuda.so.1 fails): the tests of what the GPU tools do without
# one (REQUIRES: no-cuda-driver).
try:
    ctypes.CDLL("libcuda.so.1")
except OSError:
    config.available_features.add("no-cuda-driver")
