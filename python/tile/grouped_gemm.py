"""The grouped int8 GEMM of MoE experts (KERNELS.md 5)."""

from __future__ import annotations

from . import _arrays, _quant
from ._modules import module_for, option

_PRECISIONS = {"native": 0, "f16_exact": 1}
_WEIGHTS = {"int8": 0, "int4": 1}
_OUT_TYPES = {"bf16": "bfloat16", "fp16": "float16", "f32": "float32"}


def grouped_gemm_i8(
    a,
    group_offsets,
    b,
    sa,
    sb,
    *,
    precision: str = "f16_exact",
    weights: str = "int8",
    swiglu: bool = False,
    out="bf16",
    backend: str = "auto",
):
    """``out[m, n] = sum_g fma(I_g, sa[m(, g)] * sb[e, n, g])`` for row m of
    expert e, ``I_g`` the exact int32 dot of quant group g (Gk = K / sb's last
    extent), rounded once to the output type; with ``swiglu`` b's N rows are
    [gate | up] and ``out[m, j] = silu(acc_j) * acc_{N/2 + j}``.

    Args:
      a: int8 [M, K], rows sorted by expert, any row stride.
      group_offsets: int32 [E + 1], prefix sums (empty experts allowed; rows
        outside every expert are neither read nor written).
      b: int8 [E, N, K] contiguous, or with ``weights="int4"`` bytes
        [E, N / 2, K] (low nibble row 2i, high nibble row 2i + 1, -8..7).
      sa: float32 [M] (per token) or [M, K / Gk], contiguous.
      sb: float32 [E, N, K / Gk], contiguous.
      precision: "native" (int8 MMA) or "f16_exact" (int8 widened to fp16, one
        fp32 chain per group: Gk <= 1024); bit-identical results.
      out: "bf16", "fp16" or "f32" to allocate [M, N] ([M, N / 2] with
        swiglu), or a tensor to write (any row stride, its type picks).
      backend: as in ``tile.group_quant``.

    Returns:
      out.

    Raises:
      As ``tile.group_quant``.
    """
    fn = "grouped_gemm_i8"
    prec = option(fn, "precision", precision, _PRECISIONS)
    wts = option(fn, "weights", weights, _WEIGHTS)
    module = module_for(fn, backend, a)
    if isinstance(out, str):
        otype = option(fn, "out", out, _OUT_TYPES)
        M, _ = _quant.shape(fn, "a", a, 2, "[M, K]")
        _, N, _ = _quant.shape(fn, "sb", sb, 3, "[E, N, K / group]")
        result = _arrays.empty(a, (M, N // 2 if swiglu else N), otype)
    else:
        result, otype = out, None
    module.grouped_gemm_i8(a, group_offsets, b, sa, sb, _arrays.arg(result, otype), prec, wts, swiglu)
    return result
