"""The two native modules and the backend choice.

``_gpu.so`` holds the AOT-compiled kernels and tile's CUDA runtime and links
no LLVM; ``_interp.so`` runs the same kernels in tile's interpreter and links
LLVM/MLIR 22 (loaded only when ``backend="interp"`` is used).
"""

from __future__ import annotations

import os

import tvm_ffi

from ._arrays import is_cuda

_HERE = os.path.dirname(os.path.abspath(__file__))
_loaded: dict = {}

BACKENDS = ("auto", "gpu", "interp")


def _load(name: str):
    module = _loaded.get(name)
    if module is None:
        path = os.path.join(_HERE, f"_{name}.so")
        try:
            module = tvm_ffi.load_module(path)  # caches each function it is asked for
        except Exception as error:  # the library or one it needs is missing
            what = "the interpreter (it needs the LLVM/MLIR 22 shared libraries)" if name == "interp" else "the GPU kernels"
            raise ImportError(f"tile: cannot load {what} from {path}: {error}") from error
        _loaded[name] = module
    return module


def gpu_module():
    """The GPU module (always loadable: it starts without a GPU)."""
    return _load("gpu")


def interp_module():
    """The interpreter module."""
    return _load("interp")


def gpu_status() -> str:
    """'' when a CUDA GPU is usable, else why not (TILE_NO_GPU: ...)."""
    return gpu_module().gpu_status()


def has_gpu() -> bool:
    """Whether tile can launch on a CUDA GPU here."""
    return gpu_status() == ""


def module_for(fn: str, backend: str, first):
    """The module that runs ``fn`` for ``backend``: "gpu", "interp", or "auto"
    (the GPU for tensors in CUDA memory, the interpreter for host arrays: the
    GPU kernels cannot read host memory)."""
    if backend == "auto":
        backend = "gpu" if is_cuda(first) else "interp"
    if backend == "gpu":
        return gpu_module()
    if backend == "interp":
        return interp_module()
    raise ValueError(f"tile.{fn}: argument 'backend': must be 'auto', 'gpu' or 'interp', got {backend!r}")


def option(fn: str, name: str, value, choices: dict):
    """``choices[value]``, or a ValueError naming the argument."""
    try:
        return choices[value]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"tile.{fn}: argument '{name}': must be one of {allowed}, got {value!r}") from None
