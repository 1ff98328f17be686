"""tile's kernels as torch custom ops, with fake (meta) kernels, so that
``torch.compile`` traces through them and ``torch.library.opcheck`` passes.

Importing this module registers ``torch.ops.tile.<name>`` when torch is
installed; without torch it imports and ``register()`` raises ImportError
(nothing else of the package needs torch). The ops allocate their outputs (custom
ops may not return views of their inputs) and run on the tensors' device:
CUDA tensors on the GPU, CPU tensors in the interpreter. A call through
``torch.ops`` costs what the dispatcher does (tens of µs); for eager code at
small sizes call ``tile.group_quant`` and its siblings directly.

    import tile.torch_ops
    q, s = torch.ops.tile.group_quant(x, 128, "fp8", "col_tma", False, "rtne", 1e-10)
"""

from typing import Optional, Tuple

try:
    import torch
except ImportError:  # the package works without torch; these ops do not
    torch = None

import tile

_registered = False


def register():
    """Registers the ops (once); ImportError without torch."""
    global _registered
    if torch is None:
        raise ImportError("tile.torch_ops needs torch (pip install torch)")
    if not _registered:
        _define()
        _registered = True


def _define():
    """Defines the ops and their fake kernels in this module's namespace."""
    _FP8 = torch.float8_e4m3fn

    def _quant_type(out: str):
        return {"fp8": _FP8, "int8": torch.int8}[out]

    def _scales(x: torch.Tensor, layout: str, rows: int, groups: int, experts: int = 0):
        """Scales of ``layout`` on x's device (meta under tracing): the same
        shapes and strides as tile's own allocation."""
        aligned = (rows + 3) // 4 * 4
        lead = (experts,) if experts else ()
        if layout == "row":
            return torch.empty(lead + (rows, groups), dtype=torch.float32, device=x.device)
        storage = rows if layout == "col" else aligned
        cols = (groups + 3) // 4 if layout == "ue8m0_packed" else groups
        dtype = torch.int32 if layout == "ue8m0_packed" else torch.float32
        buffer = torch.empty(lead + (cols, storage), dtype=dtype, device=x.device)
        return buffer.transpose(-1, -2)[..., :rows, :]

    def _group_quant_outputs(x, group, out, scales):
        M, K = x.shape
        return (
            torch.empty((M, K), dtype=_quant_type(out), device=x.device),
            _scales(x, scales, M, K // group),
        )

    @torch.library.custom_op("tile::group_quant", mutates_args=())
    def group_quant(
        x: torch.Tensor, group: int, out: str, scales: str, ue8m0: bool, rounding: str, eps: float
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        q, s = _group_quant_outputs(x, group, out, scales)
        tile.group_quant(x, group=group, out=(q, s), scales=scales, ue8m0=ue8m0, rounding=rounding, eps=eps)
        return q, s

    @group_quant.register_fake
    def _(x, group, out, scales, ue8m0, rounding, eps):
        return _group_quant_outputs(x, group, out, scales)

    @torch.library.custom_op("tile::token_quant", mutates_args=())
    def token_quant(
        x: torch.Tensor, out: str, ue8m0: bool, rounding: str, eps: float
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        q = torch.empty(x.shape, dtype=_quant_type(out), device=x.device)
        s = torch.empty((x.shape[0],), dtype=torch.float32, device=x.device)
        tile.token_quant(x, out=(q, s), ue8m0=ue8m0, rounding=rounding, eps=eps)
        return q, s

    @token_quant.register_fake
    def _(x, out, ue8m0, rounding, eps):
        return (
            torch.empty(x.shape, dtype=_quant_type(out), device=x.device),
            torch.empty((x.shape[0],), dtype=torch.float32, device=x.device),
        )

    def _silu_outputs(x, masked, group, out, scales):
        if masked:
            E, T, twoH = x.shape
            H = twoH // 2
            return (
                torch.empty((E, T, H), dtype=_quant_type(out), device=x.device),
                _scales(x, scales, T, H // group, experts=E),
            )
        M, twoH = x.shape
        H = twoH // 2
        return torch.empty((M, H), dtype=_quant_type(out), device=x.device), _scales(x, scales, M, H // group)

    @torch.library.custom_op("tile::silu_mul_quant", mutates_args=())
    def silu_mul_quant(
        x: torch.Tensor,
        masked_m: Optional[torch.Tensor],
        group: int,
        out: str,
        scales: str,
        ue8m0: bool,
        up_first: bool,
        fp32_intermediate: bool,
        rounding: str,
        eps: float,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        q, s = _silu_outputs(x, masked_m is not None, group, out, scales)
        tile.silu_mul_quant(
            x, masked_m, group=group, out=(q, s), scales=scales, ue8m0=ue8m0, up_first=up_first,
            fp32_intermediate=fp32_intermediate, rounding=rounding, eps=eps,
        )
        return q, s

    @silu_mul_quant.register_fake
    def _(x, masked_m, group, out, scales, ue8m0, up_first, fp32_intermediate, rounding, eps):
        return _silu_outputs(x, masked_m is not None, group, out, scales)

    @torch.library.custom_op("tile::silu_mul_nvfp4", mutates_args=())
    def silu_mul_nvfp4(
        x: torch.Tensor,
        offsets: torch.Tensor,
        sf_offsets: torch.Tensor,
        global_scales: torch.Tensor,
        scale_rows: int,
        up_first: bool,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``scale_rows`` = sf_offsets[E] (known on the host: the op's output
        shape cannot depend on device data)."""
        M, twoK = x.shape
        K = twoK // 2
        q = torch.empty((M, K // 2), dtype=torch.uint8, device=x.device)
        s = torch.empty((scale_rows, 4 * ((K + 63) // 64)), dtype=torch.uint8, device=x.device)
        tile.silu_mul_nvfp4(x, offsets, global_scales, sf_offsets=sf_offsets, up_first=up_first, out=(q, s))
        return q, s

    @silu_mul_nvfp4.register_fake
    def _(x, offsets, sf_offsets, global_scales, scale_rows, up_first):
        M, twoK = x.shape
        K = twoK // 2
        return (
            torch.empty((M, K // 2), dtype=torch.uint8, device=x.device),
            torch.empty((scale_rows, 4 * ((K + 63) // 64)), dtype=torch.uint8, device=x.device),
        )

    _OUT = {"bf16": torch.bfloat16, "fp16": torch.float16, "f32": torch.float32}

    @torch.library.custom_op("tile::grouped_gemm_i8", mutates_args=())
    def grouped_gemm_i8(
        a: torch.Tensor,
        group_offsets: torch.Tensor,
        b: torch.Tensor,
        sa: torch.Tensor,
        sb: torch.Tensor,
        precision: str,
        weights: str,
        swiglu: bool,
        out: str,
    ) -> torch.Tensor:
        N = sb.shape[1]
        result = torch.empty((a.shape[0], N // 2 if swiglu else N), dtype=_OUT[out], device=a.device)
        tile.grouped_gemm_i8(a, group_offsets, b, sa, sb, precision=precision, weights=weights, swiglu=swiglu, out=result)
        return result

    @grouped_gemm_i8.register_fake
    def _(a, group_offsets, b, sa, sb, precision, weights, swiglu, out):
        N = sb.shape[1]
        return torch.empty((a.shape[0], N // 2 if swiglu else N), dtype=_OUT[out], device=a.device)

    globals().update(
        group_quant=group_quant, token_quant=token_quant, silu_mul_quant=silu_mul_quant,
        silu_mul_nvfp4=silu_mul_nvfp4, grouped_gemm_i8=grouped_gemm_i8,
    )


if torch is not None:
    register()
