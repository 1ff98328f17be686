"""Per-token quantization (KERNELS.md 2)."""

from __future__ import annotations

from . import _arrays, _quant
from ._modules import module_for, option


def token_quant(
    x,
    *,
    out="fp8",
    ue8m0: bool = False,
    rounding: str = "rtne",
    eps: float = 1e-10,
    backend: str = "auto",
):
    """Quantizes each row of x with one scale: group_quant's rules with one
    group of K (``absmax = max(max |x_row|, eps)``, ``scale = absmax / QMAX``,
    ``q = convert(x * (1 / scale))``).

    Args:
      x: [M, K] bfloat16, float16 or float32; any K, any row stride (odd
        too), the last dimension contiguous.
      out: "fp8" or "int8" to allocate, or ``(q, scales)`` to write: q [M, K]
        float8_e4m3fn or int8 (any row stride), scales float32 [M] or [M, 1]
        of any stride.
      ue8m0, rounding, eps, backend: as in ``tile.group_quant``.

    Returns:
      ``(q, scales)``: q [M, K], scales float32 [M].

    Raises:
      As ``tile.group_quant``. On the GPU, rows up to 16384 columns stay in
      registers for the shipped hidden sizes; other K and strides run the
      chunked kernel compiled for any K.
    """
    fn = "token_quant"
    rnd = option(fn, "rounding", rounding, _quant.ROUNDINGS)
    module = module_for(fn, backend, x)
    if isinstance(out, str):
        qtype = option(fn, "out", out, _quant.OUT_TYPES)
        M, K = _quant.shape(fn, "x", x, 2, "[M, K]")
        q = _arrays.empty(x, (M, K), qtype)
        s = _arrays.empty(x, (M,), "float32")
    else:
        q, s = _quant.outputs(fn, out, 2)
        qtype = None
    module.token_quant(_arrays.arg(x), _arrays.arg(q, qtype), s, ue8m0, rnd, eps)
    return q, s
