"""NVFP4 fused SiLU-and-mul expert quantization (KERNELS.md 4)."""

from __future__ import annotations

import numpy as np

from . import _arrays, _quant
from ._modules import module_for


def nvfp4_scale_offsets(offsets):
    """sf_offsets [E + 1] int32 for expert row offsets [E + 1]:
    ``sf_offsets[e] = sum_{i < e} align(offsets[i + 1] - offsets[i], 128)``
    (a numpy array; reads device offsets back to the host)."""
    if hasattr(offsets, "cpu"):
        offsets = offsets.cpu()
    elif type(offsets).__module__.startswith("cupy"):
        offsets = offsets.get()
    o = np.asarray(offsets, dtype=np.int64)
    rows = np.diff(o)
    return np.concatenate([[0], np.cumsum((rows + 127) // 128 * 128)]).astype(np.int32)


def _like(x, array):
    """``array`` (host int32) in x's library on x's device."""
    lib = type(x).__module__.split(".")[0]
    if lib == "torch":
        import torch

        return torch.from_numpy(array).to(x.device)
    if lib == "cupy":
        import cupy

        with x.device:
            return cupy.asarray(array)
    return array


def silu_mul_nvfp4(
    x,
    offsets,
    global_scales,
    *,
    sf_offsets=None,
    up_first: bool = False,
    out=None,
    backend: str = "auto",
):
    """``y = bf16(bf16(silu(f32(gate))) * f32(up))`` quantized to NVFP4: per
    block of 16 along K, ``sf = e4m3(gs[e] * absmax / 6)``, codes
    ``e2m1(y / (f32(sf) / gs[e]))`` two per byte (low nibble first), scales in
    the per-expert swizzled layout the CUTLASS NVFP4 MoE GEMM reads.

    Args:
      x: bfloat16 [M, 2K] ([gate | up], or [up | gate] with ``up_first``),
        rows sorted by expert, any row stride; K a multiple of 16. Rows at or
        past offsets[E] are neither read nor written.
      offsets: int32 [E + 1], the experts' row prefix sums (empty experts
        allowed).
      global_scales: float32 [E].
      sf_offsets: int32 [E + 1], ``nvfp4_scale_offsets(offsets)``, on x's
        device; computed here when None (which reads device offsets back:
        a host sync).
      out: None to allocate, or ``(q, scales)``: q uint8 [M, K / 2]
        contiguous, scales uint8 or float8_e4m3fn [S, 4 * ceil(K / 64)]
        contiguous with S >= sf_offsets[E] a multiple of 128.
      backend: as in ``tile.group_quant``.

    Returns:
      ``(q, scales)``; every padding byte of the scales is written 0.

    Raises:
      As ``tile.group_quant``; on the host the offsets are checked too.
    """
    fn = "silu_mul_nvfp4"
    module = module_for(fn, backend, x)
    if sf_offsets is None:
        sf_host = nvfp4_scale_offsets(offsets)
        sf_offsets = _like(x, sf_host)
        scale_rows = int(sf_host[-1])
    else:
        scale_rows = None
    if out is None:
        M, twoK = _quant.shape(fn, "x", x, 2, "[M, 2K]")
        K = twoK // 2
        if scale_rows is None:
            scale_rows = _last(sf_offsets)
        q = _arrays.empty(x, (M, K // 2), "uint8")
        s = _arrays.empty(x, (scale_rows, 4 * ((K + 63) // 64)), "uint8")
    else:
        q, s = _quant.outputs(fn, out, 2)
    module.silu_mul_nvfp4(_arrays.arg(x), offsets, sf_offsets, global_scales, q, _arrays.arg(s), up_first)
    return q, s


def _last(values) -> int:
    """values[-1] on the host."""
    if hasattr(values, "cpu"):
        return int(values[-1].item())
    if type(values).__module__.startswith("cupy"):
        return int(values[-1].get())
    return int(values[-1])
