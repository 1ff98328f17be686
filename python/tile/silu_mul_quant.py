"""Fused SiLU-and-mul + group quantization (KERNELS.md 3)."""

from __future__ import annotations

from . import _arrays, _quant
from ._modules import module_for, option


def silu_mul_quant(
    x,
    masked_m=None,
    *,
    group: int = 128,
    out="fp8",
    scales: str = "row",
    ue8m0: bool = False,
    up_first: bool = False,
    fp32_intermediate: bool = False,
    rounding: str = "rtne",
    eps: float = 1e-10,
    backend: str = "auto",
):
    """``y = bf16(bf16(silu(f32(gate))) * f32(up))`` (y kept in float32 with
    ``fp32_intermediate``; ``silu(g) = g / (1 + exp(-g))``), then y
    group-quantized as ``tile.group_quant`` does.

    Args:
      x: bfloat16 [M, 2H] holding [gate | up] ([up | gate] with
        ``up_first``), any row stride; or, with ``masked_m``, [E, T, 2H] (the
        experts' rows one after another: strides (T * s, s, 1)). H is a
        multiple of ``group``.
      masked_m: None, or int32 [E]: expert e's rows t >= masked_m[e] (clamped
        to [0, T]) are neither read nor written, but their scale slots are
        written 1.0 (UE8M0 byte 127).
      out: "fp8" or "int8" to allocate, or ``(q, scales)`` to write: q [M, H]
        (masked [E, T, H], strides (T * s, s, 1)).
      scales: the layout (``tile.group_quant``) of the scales of M rows, or
        masked of each expert's T rows: [E, T, G] with strides (e, 1,
        align(T, 4)) for "col_tma", e >= one expert's scales.
      group, ue8m0, rounding, eps, backend: as in ``tile.group_quant``.

    Returns:
      ``(q, scales)``.

    Raises:
      As ``tile.group_quant``. The GPU's exp differs from the host's in the
      last bit: GPU results follow sglang's rule against the reference, the
      interpreter's are bit-exact.
    """
    fn = "silu_mul_quant"
    layout, rnd = _quant.quant_options(fn, scales, rounding)
    module = module_for(fn, backend, x)
    if isinstance(out, str):
        qtype = option(fn, "out", out, _quant.OUT_TYPES)
        _quant.check_group(fn, group)
        if masked_m is None:
            M, twoH = _quant.shape(fn, "x", x, 2, "[M, 2H]")
            q = _arrays.empty(x, (M, twoH // 2), qtype)
            s = _quant.empty_scales(x, scales, M, twoH // 2 // group)
        else:
            E, T, twoH = _quant.shape(fn, "x", x, 3, "[E, T, 2H]")
            q = _arrays.empty(x, (E, T, twoH // 2), qtype)
            s = _quant.empty_scales(x, scales, T, twoH // 2 // group, experts=E)
    else:
        q, s = _quant.outputs(fn, out, 2)
        qtype = None
    options = (group, layout, ue8m0, rnd, eps, up_first, fp32_intermediate)
    if masked_m is None:
        module.silu_mul_quant(_arrays.arg(x), _arrays.arg(q, qtype), s, *options)
    else:
        module.silu_mul_quant_masked(_arrays.arg(x), masked_m, _arrays.arg(q, qtype), s, *options)
    return q, s
