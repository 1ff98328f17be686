"""tile: the quantization and MoE kernels of LLM inference engines, from Python.

Every function takes DLPack tensors (torch, numpy, CuPy) without copying,
checks every argument (a ValueError or TypeError names it), and runs
``backend="gpu"`` (CUDA tensors: the AOT-compiled kernels shipped in the
package, on the caller's current stream, e.g. torch's), ``"interp"`` (host
arrays: the same kernels in tile's interpreter, bit-exact against their C++
references) or ``"auto"`` (by where the data lives). Outputs are allocated
and returned, or written into ``out=``.

    import numpy as np, ml_dtypes, tile
    x = np.random.randn(4, 256).astype(ml_dtypes.bfloat16)
    q, scales = tile.group_quant(x, group=128, out="fp8", scales="col_tma")

``tile.torch_ops`` registers the functions as torch custom ops (torch.compile).
"""

from ._arrays import view_as
from ._modules import gpu_status, has_gpu
from .group_quant import group_quant
from .grouped_gemm import grouped_gemm_i8
from .silu_mul_nvfp4 import nvfp4_scale_offsets, silu_mul_nvfp4
from .silu_mul_quant import silu_mul_quant
from .token_quant import token_quant

__version__ = "0.1.0"


def gpu_variants(family: str) -> list:
    """The kernel variants shipped for the GPU for ``family`` ("group_quant",
    "token_quant", "silu_mul_quant", "silu_mul_nvfp4", "grouped_gemm_i8"), each
    as its compile-time parameters ("group=128 in=bf16 ...")."""
    from ._modules import gpu_module

    return [line for line in gpu_module().variants(family).split("\n") if line]


__all__ = [
    "group_quant",
    "token_quant",
    "silu_mul_quant",
    "silu_mul_nvfp4",
    "nvfp4_scale_offsets",
    "grouped_gemm_i8",
    "gpu_variants",
    "has_gpu",
    "gpu_status",
    "view_as",
]
