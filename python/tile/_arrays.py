"""Arrays of any DLPack library, as the native modules take them.

The kernels receive every tensor through DLPack (zero-copy). numpy has no
bfloat16 or float8_e4m3fn that DLPack carries, so numpy arrays of ml_dtypes'
``bfloat16`` and ``float8_e4m3fn`` are passed as a view of their bytes that
the native module reads as what they hold (``view_as``). Outputs the
functions allocate are made by the input's own library (torch, numpy, CuPy),
on the input's device.
"""

from __future__ import annotations

import numpy as np

# The element types of python/src/Checks.h (Dtype), in its order.
BF16, F16, F32, I8, U8, I32, FP8 = range(7)

_NAMES = ("bfloat16", "float16", "float32", "int8", "uint8", "int32", "float8_e4m3fn")


def _ml_dtypes():
    import ml_dtypes

    return ml_dtypes


def numpy_dtype(name: str):
    """The numpy dtype of an element type name (ml_dtypes for bf16 and fp8)."""
    if name in ("bfloat16", "float8_e4m3fn"):
        return np.dtype(getattr(_ml_dtypes(), name))
    return np.dtype(name)


def _library(like) -> str:
    module = type(like).__module__.split(".")[0]
    return module if module in ("torch", "numpy", "cupy") else "other"


def empty(like, shape, dtype: str):
    """An uninitialized array of ``shape`` and element type ``dtype`` (a name of
    ``_NAMES``) made by ``like``'s library on ``like``'s device."""
    lib = _library(like)
    if lib == "torch":
        import torch

        return torch.empty(shape, dtype=getattr(torch, dtype), device=like.device)
    if lib == "cupy":
        import cupy

        with like.device:
            # CuPy has no bfloat16 or float8: their bytes, read by view_as.
            raw = {"bfloat16": "uint16", "float8_e4m3fn": "uint8"}.get(dtype, dtype)
            return cupy.empty(shape, dtype=raw)
    if lib == "numpy" or like.__dlpack_device__()[0] == 1:
        return np.empty(shape, dtype=numpy_dtype(dtype))
    raise TypeError(
        f"tile: cannot allocate outputs like a {type(like).__name__}: pass them "
        "with out=(...), or use a torch, numpy or CuPy input"
    )


def empty_column_major(like, rows: int, storage_rows: int, cols: int, dtype: str):
    """A [rows, cols] view with strides (1, storage_rows) of a column-major
    buffer of ``storage_rows`` rows (the TMA-aligned scale layouts)."""
    buffer = empty(like, (cols, storage_rows), dtype)
    return buffer.T[:rows]


def empty_expert_column_major(like, experts, rows, storage_rows, cols, dtype):
    """[experts, rows, cols] with strides (storage_rows * cols, 1, storage_rows)."""
    buffer = empty(like, (experts, cols, storage_rows), dtype)
    if _library(like) == "torch":
        return buffer.transpose(1, 2)[:, :rows]
    return buffer.transpose(0, 2, 1)[:, :rows]


def arg(t, dtype: str = None):
    """``t`` as the native module takes it: numpy arrays of ml_dtypes types
    become views of their bytes read as bfloat16 / float8_e4m3fn; with
    ``dtype`` ("bfloat16" or "float8_e4m3fn", what an output was allocated
    as), so do the raw uint16/uint8 CuPy arrays ``empty`` makes for them."""
    if isinstance(t, np.ndarray):
        if t.dtype.kind == "V":
            name = t.dtype.name
            if name == "bfloat16":
                return _view_as(t.view(np.uint16), BF16)
            if name == "float8_e4m3fn":
                return _view_as(t.view(np.uint8), FP8)
        return t
    if dtype in ("bfloat16", "float8_e4m3fn") and _library(t) == "cupy":
        return _view_as(t, _NAMES.index(dtype))
    return t


def _view_as(t, dtype_index: int):
    from ._modules import gpu_module

    return gpu_module().view_as(t, dtype_index)


def view_as(t, dtype: str):
    """``t``'s memory as element type ``dtype`` of the same width, e.g. a CuPy
    uint16 array of bfloat16 bits as ``"bfloat16"`` (a tvm_ffi.Tensor the
    functions take; ``t`` stays alive with it)."""
    if dtype not in _NAMES:
        raise ValueError(f"tile.view_as: dtype must be one of {', '.join(_NAMES)}, got {dtype!r}")
    return _view_as(t, _NAMES.index(dtype))


def is_cuda(t) -> bool:
    """Whether ``t`` lives in CUDA device memory (DLPack device type 2)."""
    cuda = getattr(t, "is_cuda", None)  # torch: cheaper than the DLPack query
    if cuda is not None:
        return cuda
    return t.__dlpack_device__()[0] == 2
