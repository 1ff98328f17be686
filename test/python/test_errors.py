"""Every argument check names the function and the argument: shapes, element
types, strides, alignment, devices, options, and the offsets read on the
host. Each case is one call that must be refused with its message."""

import ml_dtypes
import numpy as np
import pytest

import tile
from helpers import poisoned, random_input, rng

r = rng(1)
X = random_input(r, (4, 256), "bf16")
Q = poisoned((4, 256), "fp8")
S = poisoned((4, 2), np.float32)


def gq(**kw):
    args = dict(x=X, out=(Q, S), backend="interp")
    args.update(kw)
    x = args.pop("x")
    return lambda: tile.group_quant(x, **args)


def misaligned_bf16():
    base = random_input(r, (4, 264), "bf16")
    return base[:, 1:257]  # rows start 2 bytes past 16-byte alignment


def col_tma(rows, groups, storage_rows):
    return np.swapaxes(poisoned((groups, storage_rows), np.float32), 0, 1)[:rows]


GROUP_QUANT = [
    (gq(x=X[0]), ValueError, r"tile.group_quant: argument 'x': expected 2 dimensions \[M, K\], got shape \(256,\)"),
    (gq(x=X.astype(np.float64)), TypeError, r"argument 'x': expected bfloat16, float16, float32, got float64"),
    (gq(x=random_input(r, (4, 200), "bf16")), ValueError, r"argument 'x': K = 200 columns is not a positive multiple of group = 128"),
    (gq(x=np.asfortranarray(X)), ValueError, r"argument 'x': the last dimension must be contiguous"),
    (gq(x=misaligned_bf16()), ValueError, r"argument 'x': the first element's address 0x[0-9a-f]+ is not aligned to 16 bytes"),
    (gq(group=100), ValueError, r"argument 'group': must be 16, 32, 64, 128 or 256, got 100"),
    (gq(eps=0.0), ValueError, r"argument 'eps': must be a finite positive float32"),
    (gq(eps=1e-50), ValueError, r"argument 'eps': must be a finite positive float32"),
    (gq(scales="diagonal"), ValueError, r"argument 'scales': must be one of 'row', 'col', 'col_tma', 'ue8m0_packed', got 'diagonal'"),
    (gq(rounding="up"), ValueError, r"argument 'rounding': must be one of 'rtne', 'rtz', 'rna127'"),
    (gq(out="fp4"), ValueError, r"argument 'out': must be one of 'fp8', 'int8', got 'fp4'"),
    (gq(out=(Q,)), ValueError, r"argument 'out': expected an output type name or a tuple of 2 tensors"),
    (gq(out=(poisoned((4, 256), np.float16), S)), TypeError, r"argument 'q': expected float8_e4m3fn, int8, got float16"),
    (gq(out=(poisoned((3, 256), "fp8"), S)), ValueError, r"argument 'q': dimension 0 must be M = 4, got shape \(3, 256\)"),
    (gq(out=(Q, poisoned((4, 3), np.float32))), ValueError, r"argument 'scales': dimension 1 must be G \(groups\) = 2, got shape \(4, 3\)"),
    (gq(out=(Q, poisoned((4, 2), np.float64))), TypeError, r"argument 'scales': expected float32, got float64"),
    (gq(out=(Q, poisoned((4, 2), np.float32).T.copy().T), scales="row"), ValueError, r"argument 'scales': the row layout needs strides \(s, 1\) with s >= G"),
    (gq(out=(Q, col_tma(4, 2, 8)), scales="col_tma"), ValueError, r"argument 'scales': the col_tma layout needs strides \(1, 4\)"),
    (gq(out=(Q, S), scales="ue8m0_packed"), TypeError, r"argument 'scales': expected int32, got float32"),
    (gq(out=(Q, poisoned((4, 2), np.int32)), scales="ue8m0_packed"), ValueError, r"argument 'scales': dimension 1 must be ceil\(G / 4\) = 1"),
    (gq(out=(np.lib.stride_tricks.as_strided(Q, (4, 256), (16, 1)), S)), ValueError, r"argument 'q': rows overlap: row stride 16 < K"),
    (gq(backend="cuda"), ValueError, r"tile.group_quant: argument 'backend': must be 'auto', 'gpu' or 'interp', got 'cuda'"),
]


@pytest.mark.parametrize("call,error,message", GROUP_QUANT, ids=range(len(GROUP_QUANT)))
def test_group_quant_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_token_quant_errors():
    x = random_input(r, (3, 100), "bf16")
    q = poisoned((3, 100), "int8")
    with pytest.raises(ValueError, match=r"tile.token_quant: argument 'scales': expected shape \[M\] or \[M, 1\], got \(3, 2\)"):
        tile.token_quant(x, out=(q, poisoned((3, 2), np.float32)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'scales': dimension 0 must be M = 3"):
        tile.token_quant(x, out=(q, poisoned((4,), np.float32)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'q': dimension 1 must be K = 100"):
        tile.token_quant(x, out=(poisoned((3, 99), "int8"), poisoned((3,), np.float32)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'x': K must be positive"):
        tile.token_quant(random_input(r, (3, 0), "bf16"), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'x': expected 2 dimensions"):
        tile.token_quant(random_input(r, (2, 3, 4), "bf16"), backend="interp")


def test_silu_mul_quant_errors():
    x = random_input(r, (2, 3, 512), "bf16")
    with pytest.raises(TypeError, match=r"tile.silu_mul_quant: argument 'x': expected bfloat16, got float16"):
        tile.silu_mul_quant(random_input(r, (2, 512), "fp16"), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'x': the last dimension \(2H = 300\) must be twice a positive multiple of group = 128"):
        tile.silu_mul_quant(random_input(r, (2, 300), "bf16"), backend="interp")
    with pytest.raises(TypeError, match=r"argument 'masked_m': expected int32, got int64"):
        tile.silu_mul_quant(x, np.array([1, 2]), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'masked_m': dimension 0 must be E = 2"):
        tile.silu_mul_quant(x, np.array([1, 2, 3], np.int32), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'x': expected 3 dimensions \[E, T, 2H\]"):
        tile.silu_mul_quant(random_input(r, (3, 512), "bf16"), np.array([1], np.int32), backend="interp")
    gapped = random_input(r, (2, 4, 512), "bf16")[:, :3]
    with pytest.raises(ValueError, match=r"argument 'x': the experts' rows must follow each other"):
        tile.silu_mul_quant(gapped, np.array([1, 2], np.int32), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'scales': expected 3 dimensions \[E, T, G\]"):
        tile.silu_mul_quant(x, np.array([1, 2], np.int32),
                            out=(poisoned((2, 3, 256), "fp8"), poisoned((6, 2), np.float32)), backend="interp")


def test_silu_mul_nvfp4_errors():
    x = random_input(r, (10, 64), "bf16")
    off = np.array([0, 4, 10], np.int32)
    gs = np.ones(2, np.float32)
    ok_sf = tile.nvfp4_scale_offsets(off)
    with pytest.raises(ValueError, match=r"tile.silu_mul_nvfp4: argument 'x': the last dimension \(2K = 40\) must be twice a positive multiple of 16"):
        tile.silu_mul_nvfp4(random_input(r, (10, 40), "bf16"), off, gs, backend="interp")
    with pytest.raises(ValueError, match=r"argument 'offsets': must be non-decreasing"):
        tile.silu_mul_nvfp4(x, np.array([0, 6, 4], np.int32), gs, sf_offsets=ok_sf, backend="interp")
    with pytest.raises(ValueError, match=r"argument 'offsets': offsets\[E\] = 11 is past x's M = 10 rows"):
        tile.silu_mul_nvfp4(x, np.array([0, 4, 11], np.int32), gs, sf_offsets=ok_sf, backend="interp")
    with pytest.raises(ValueError, match=r"argument 'sf_offsets': sf_offsets\[1\] = 4, the offsets give 128"):
        tile.silu_mul_nvfp4(x, off, gs, sf_offsets=np.array([0, 4, 132], np.int32),
                            out=(poisoned((10, 16), np.uint8), poisoned((256, 4), np.uint8)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'global_scales': dimension 0 must be E = 2"):
        tile.silu_mul_nvfp4(x, off, np.ones(3, np.float32), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'scales': its rows \(100\) must be a multiple of 128"):
        tile.silu_mul_nvfp4(x, off, gs, sf_offsets=ok_sf,
                            out=(poisoned((10, 16), np.uint8), poisoned((100, 4), np.uint8)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'scales': holds 128 rows, sf_offsets\[E\] = 256 are needed"):
        tile.silu_mul_nvfp4(x, off, gs, sf_offsets=ok_sf,
                            out=(poisoned((10, 16), np.uint8), poisoned((128, 4), np.uint8)), backend="interp")
    with pytest.raises(ValueError, match=r"argument 'offsets': needs E \+ 1 >= 2 entries"):
        tile.silu_mul_nvfp4(x, np.array([0], np.int32), np.ones(0, np.float32),
                            sf_offsets=np.array([0], np.int32), backend="interp")


def test_grouped_gemm_errors():
    a = np.ones((8, 256), np.int8)
    off = np.array([0, 3, 8], np.int32)
    b = np.ones((2, 64, 256), np.int8)
    sa = np.ones((8, 2), np.float32)
    sb = np.ones((2, 64, 2), np.float32)
    call = lambda **kw: tile.grouped_gemm_i8(*[kw.pop(k, v) for k, v in
                                              dict(a=a, group_offsets=off, b=b, sa=sa, sb=sb).items()],
                                             backend="interp", **kw)
    with pytest.raises(ValueError, match=r"tile.grouped_gemm_i8: argument 'sb': its last extent \(the quant groups, 3\) must divide K = 256"):
        call(sb=np.ones((2, 64, 3), np.float32))
    with pytest.raises(ValueError, match=r"argument 'b': dimension 1 must be N = 64"):
        call(b=np.ones((2, 32, 256), np.int8))
    with pytest.raises(ValueError, match=r"argument 'b': dimension 1 must be N / 2 = 32"):
        call(weights="int4")
    with pytest.raises(ValueError, match=r"argument 'sa': expected \[M\] \(per token\) or \[M, K / group\]"):
        call(sa=np.ones((8, 2, 1), np.float32))
    with pytest.raises(ValueError, match=r"argument 'sa': dimension 1 must be K / group = 2"):
        call(sa=np.ones((8, 4), np.float32))
    with pytest.raises(TypeError, match=r"argument 'a': expected int8, got uint8"):
        call(a=np.ones((8, 256), np.uint8))
    with pytest.raises(ValueError, match=r"argument 'precision': must be one of 'native', 'f16_exact'"):
        call(precision="fp8")
    with pytest.raises(ValueError, match=r"argument 'sb': the quant group K / sb.shape\[2\] = 2048: f16_exact needs group <= 1024"):
        call(a=np.ones((8, 2048), np.int8), b=np.ones((2, 64, 2048), np.int8),
             sa=np.ones((8,), np.float32), sb=np.ones((2, 64, 1), np.float32))
    with pytest.raises(ValueError, match=r"argument 'out': dimension 1 must be N / 2 = 32"):
        call(swiglu=True, out=np.empty((8, 64), np.float32))
    with pytest.raises(ValueError, match=r"argument 'group_offsets': must be non-decreasing"):
        call(group_offsets=np.array([0, 5, 3], np.int32))

