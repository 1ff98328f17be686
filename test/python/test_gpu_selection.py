"""Which shipped GPU variant a call runs, checked without a GPU: the GPU
path's plan and choice (the select_<family> entry points of the GPU module
run them on host arrays) for the shapes the engines use, the fallbacks for
odd strides and sizes, and the refusal that lists the shipped variants."""

import numpy as np
import pytest

from helpers import LAYOUTS, poisoned, random_input, rng
from tile import _arrays
from tile._modules import gpu_module

r = rng(0)


def select(family, *args):
    fn = getattr(gpu_module(), "select_" + family)
    return fn(*[_arrays.arg(a) if isinstance(a, np.ndarray) else a for a in args])


def gq(M, K, xin="bf16", out="fp8", layout="row", ue8m0=False, group=128, pad=0):
    x = random_input(r, (M, K), xin, row_pad=pad)
    from helpers import scale_storage

    _, s = scale_storage(layout, M, K // group)
    return select("group_quant", x, poisoned((M, K), out), s, group, LAYOUTS[layout], ue8m0, 0, 1e-10)


def test_group_quant():
    assert gq(64, 7168).startswith(
        "group=128 in=bf16 out=fp8 rounding=rtne scales=row ue8m0=0 eps=1.00000001e-10 "
        "groups_per_program=0 stride_divisibility=16 num_warps=2 grid=448")
    assert "scales=col_tma ue8m0=1" in gq(5, 7168, xin="fp16", layout="col_tma", ue8m0=True)
    assert "grid=56" in gq(5, 7168, layout="col_tma")  # align(5, 4) = 8 rows x 7 programs
    assert "scales=ue8m0_packed" in gq(3, 384, layout="ue8m0_packed")
    assert "out=int8" in gq(2, 256, out="int8")
    # A row stride of 7176 (divisible by 8, not 16): the divisibility-1 kernel.
    assert "stride_divisibility=1 " in gq(4, 7168, pad=8)


@pytest.mark.parametrize("kwargs,needs", [
    (dict(xin="f32"), "in=f32"),
    (dict(group=64), "group=64"),
    (dict(layout="col"), "scales=col "),
])
def test_group_quant_refused(kwargs, needs):
    with pytest.raises(ValueError, match=r"(?s)tile.group_quant: no GPU kernel was shipped for this call, "
                                         r"which needs .*" + needs + r".*The shipped variants are:\n  group=128"):
        gq(4, 256, **kwargs)


@pytest.mark.parametrize("K,tile_", [
    (1368, "block_k=1024 loop_k=0 tail_k=512 rows_per_program=2 k_divisibility=8 num_warps=4"),
    (2048, "block_k=2048 loop_k=0 tail_k=0 rows_per_program=2 k_divisibility=8 num_warps=4"),
    (4096, "block_k=4096 loop_k=0 tail_k=0 rows_per_program=1 k_divisibility=8 num_warps=8"),
    (5120, "block_k=4096 loop_k=0 tail_k=2048 rows_per_program=1 k_divisibility=8 num_warps=8"),
    (7168, "block_k=8192 loop_k=0 tail_k=0 rows_per_program=1 k_divisibility=8 num_warps=8"),
    (16384, "block_k=16384 loop_k=0 tail_k=0 rows_per_program=1 k_divisibility=8 num_warps=8"),
    (28672, "block_k=8192 loop_k=1 tail_k=0 rows_per_program=1 k_divisibility=8 num_warps=16"),
    (28671, "block_k=8192 loop_k=1 tail_k=0 rows_per_program=1 k_divisibility=1 num_warps=16"),
    (16385, "block_k=8192 loop_k=1 tail_k=0 rows_per_program=1 k_divisibility=1 num_warps=16"),
    (3000, "block_k=4096 loop_k=1 tail_k=0 rows_per_program=1 k_divisibility=1 num_warps=8"),
    (1367, "block_k=4096 loop_k=1 tail_k=0 rows_per_program=1 k_divisibility=1 num_warps=8"),
])
def test_token_quant(K, tile_):
    x = random_input(r, (4, K), "bf16")
    got = select("token_quant", x, poisoned((4, K), "fp8"), poisoned((4,), np.float32), False, 0, 1e-10)
    assert tile_ in got, got


def test_token_quant_refused():
    x = random_input(r, (4, 1368), "f32")
    with pytest.raises(ValueError, match="no GPU kernel was shipped.*in=f32"):
        select("token_quant", x, poisoned((4, 1368), "fp8"), poisoned((4,), np.float32), False, 0, 1e-10)


def smq(M, H, layout="row", up_first=False, pad=0):
    from helpers import scale_storage

    x = random_input(r, (M, 2 * H), "bf16", row_pad=pad)
    _, s = scale_storage(layout, M, H // 128)
    return select("silu_mul_quant", x, poisoned((M, H), "fp8"), s, 128, LAYOUTS[layout], False, 0, 1e-10,
                  up_first, False)


def test_silu_mul_quant():
    # tunedFor keeps the defaults (8 groups on 2 warps) for many short rows too.
    assert "groups_per_program=0 stride_divisibility=16 num_warps=2" in smq(16384, 2048)
    assert "groups_per_program=0 stride_divisibility=16 num_warps=2" in smq(64, 2048)
    assert "scales=ue8m0_packed" in smq(5, 256, "ue8m0_packed")
    assert "stride_divisibility=1 " in smq(5, 256, pad=8)
    with pytest.raises(ValueError, match="no GPU kernel was shipped.*up_first=1"):
        smq(5, 256, up_first=True)
    from helpers import scale_storage

    x = random_input(r, (3, 8, 512), "bf16")
    _, s = scale_storage("col_tma", 8, 2, experts=3)
    got = select("silu_mul_quant_masked", x, np.array([1, 8, 3], np.int32), poisoned((3, 8, 256), "fp8"), s,
                 128, LAYOUTS["col_tma"], False, 0, 1e-10, False, False)
    assert "masked=1" in got and "scales=col_tma" in got


def test_silu_mul_nvfp4_and_grouped_gemm():
    x = random_input(r, (10, 256), "bf16")
    off = np.array([0, 4, 10], np.int32)
    sf = np.array([0, 128, 256], np.int32)
    args = (off, sf, np.ones(2, np.float32), poisoned((10, 64), np.uint8), poisoned((256, 8), np.uint8), False)
    assert "stride_divisibility=16" in select("silu_mul_nvfp4", x, *args)
    assert select("silu_mul_nvfp4", x, *args).endswith("grid=12")  # 10 rows + 2 experts, 1 chunk
    assert "stride_divisibility=1 " in select("silu_mul_nvfp4", random_input(r, (10, 256), "bf16", row_pad=2), *args)
    assert "num_warps=4" in select("silu_mul_nvfp4", x, *args)
    # Rows longer than one program covers (2 programs a row): 2 warps.
    long_args = (off, sf, np.ones(2, np.float32), poisoned((10, 1160), np.uint8), poisoned((256, 148), np.uint8), False)
    assert "num_warps=2" in select("silu_mul_nvfp4", random_input(r, (10, 4640), "bf16"), *long_args)
    a = np.ones((8, 256), np.int8)
    b = np.ones((2, 128, 256), np.int8)
    offsets = np.array([0, 3, 8], np.int32)
    sa, sb = np.ones((8, 2), np.float32), np.ones((2, 128, 2), np.float32)
    gg = lambda out, prec=0: select("grouped_gemm_i8", a, offsets, b, sa, sb, out, prec, 0, False)
    assert "precision=native group=128 act_scales=token_group out=bf16" in gg(poisoned((8, 128), "bf16"))
    assert "block_m=64 block_n=128" in gg(poisoned((8, 128), "bf16"))
    assert "num_warps=4" in gg(poisoned((8, 128), "bf16"))
    assert "tile_schedule=experts" in gg(poisoned((8, 128), "bf16"))  # 4 rows an expert
    # Past 32 rows an expert on average: tiles of the rows (66 rows, 2 experts).
    a66, off66, sa66 = np.ones((66, 256), np.int8), np.array([0, 30, 66], np.int32), np.ones((66, 2), np.float32)
    assert "tile_schedule=rows" in select("grouped_gemm_i8", a66, off66, b, sa66, sb, poisoned((66, 128), "bf16"), 0, 0, False)
    # Decode: fewer than 4 rows an expert, each tile within one expert: 7
    # rows over 4 experts (1 of them empty), a tile each at most: min(7, (7
    # + 4 * 63) / 64) = 4 row tiles x 1 column tile.
    a7, off7 = np.ones((7, 256), np.int8), np.array([0, 3, 3, 5, 7], np.int32)
    b4, sa7, sb4 = np.ones((4, 128, 256), np.int8), np.ones((7, 2), np.float32), np.ones((4, 128, 2), np.float32)
    for prec, name in ((0, "native"), (1, "f16_exact")):
        got = select("grouped_gemm_i8", a7, off7, b4, sa7, sb4, poisoned((7, 128), "bf16"), prec, 0, False)
        assert f"precision={name} " in got and "tile_schedule=experts" in got, got
        assert got.endswith("grid=4"), got
    with pytest.raises(ValueError, match="no GPU kernel was shipped.*out=f32"):
        gg(poisoned((8, 128), np.float32))
