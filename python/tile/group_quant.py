"""Per-token-group quantization (KERNELS.md 1)."""

from __future__ import annotations

from . import _arrays, _quant
from ._modules import module_for, option


def group_quant(
    x,
    *,
    group: int = 128,
    out="fp8",
    scales: str = "row",
    ue8m0: bool = False,
    rounding: str = "rtne",
    eps: float = 1e-10,
    backend: str = "auto",
):
    """Quantizes each group of ``group`` consecutive elements of each row of x.

    ``absmax = max(max |x| over the group, eps)``, ``scale = absmax / QMAX``
    (448 for fp8, 127 for int8; rounded up to a power of two with ``ue8m0``),
    ``q = convert(x * (1 / scale))`` with round-to-nearest-even and saturation
    (int8 ``rounding``: "rtne", "rtz" toward zero, "rna127" half away from zero
    into [-127, 127]). A NaN group has a NaN scale (UE8M0 byte 0xFF).

    Args:
      x: [M, K] bfloat16, float16 or float32; rows of any stride, the last
        dimension contiguous; K a multiple of ``group``.
      group: 16, 32, 64, 128 or 256.
      out: "fp8" (float8_e4m3fn) or "int8" to allocate the outputs, or a tuple
        ``(q, scales)`` of tensors to write (q's element type picks fp8/int8).
      scales: the scale layout, for M rows of G = K / group groups:
        "row" float32 [M, G], strides (s, 1) with s >= G;
        "col" float32 [M, G], strides (1, s) with s >= M;
        "col_tma" float32 [M, G], strides (1, align(M, 4)) (DeepGEMM's): the
        padding rows [M, align(M, 4)) behind the view are written 1.0;
        "ue8m0_packed" int32 [M, ceil(G / 4)], strides (1, align(M, 4)): byte
        g % 4 of word (t, g // 4) is the exponent of (t, g); padding rows get
        byte 127, a partial last word's spare bytes 0.
      ue8m0: round scales up to powers of two (implied by "ue8m0_packed").
      eps: the absmax floor, a finite positive float32.
      backend: "gpu" (CUDA tensors, the shipped AOT variants), "interp" (host
        arrays, tile's interpreter, any variant) or "auto" (by x's device).

    Returns:
      ``(q, scales)``: q [M, K] as ``out`` says, scales in ``scales``' layout;
      by x's library (torch, numpy with ml_dtypes types, CuPy) on x's device.

    Raises:
      ValueError naming the argument: a shape, stride, alignment (16 bytes),
      device or option the kernel does not take, or on the GPU a variant
      that was not shipped (the message lists the shipped ones). TypeError: an
      element type. RuntimeError: backend="gpu" without a GPU, a CUDA error.
    """
    fn = "group_quant"
    layout, rnd = _quant.quant_options(fn, scales, rounding)
    module = module_for(fn, backend, x)
    if isinstance(out, str):
        qtype = option(fn, "out", out, _quant.OUT_TYPES)
        _quant.check_group(fn, group)
        M, K = _quant.shape(fn, "x", x, 2, "[M, K]")
        q = _arrays.empty(x, (M, K), qtype)
        s = _quant.empty_scales(x, scales, M, K // group)
    else:
        q, s = _quant.outputs(fn, out, 2)
        qtype = None
    module.group_quant(_arrays.arg(x), _arrays.arg(q, qtype), s, group, layout, ue8m0, rnd, eps)
    return q, s
