"""tile.group_quant through the interpreter: every element against the C++
reference (bit-exact, padding and poisoned bytes included) and against a
numpy statement of KERNELS.md 1, shapes near the boundaries."""

import ml_dtypes
import numpy as np
import pytest

import tile
from helpers import (LAYOUTS, ROUNDINGS, assert_same_bytes, poisoned, random_input,
                     reference, rng, scale_storage, seed_of)

# (M, K, group, in, out, scales, ue8m0, rounding, row_pad)
CASES = [
    (5, 256, 128, "bf16", "fp8", "row", False, "rtne", 0),
    (0, 128, 128, "bf16", "fp8", "col_tma", False, "rtne", 0),
    (1, 384, 128, "bf16", "fp8", "ue8m0_packed", False, "rtne", 0),  # G / 4 not whole
    (3, 384, 128, "fp16", "fp8", "col_tma", True, "rtne", 0),
    (5, 96, 16, "f32", "int8", "col", False, "rtz", 0),
    (4, 512, 256, "bf16", "int8", "row", False, "rna127", 0),
    (7, 160, 32, "bf16", "fp8", "col_tma", False, "rtne", 16),  # strided x
    (6, 320, 64, "fp16", "int8", "row", True, "rtne", 8),
    (9, 1280, 128, "bf16", "fp8", "ue8m0_packed", True, "rtne", 0),  # G = 10
]


def run(case, seed):
    M, K, group, xin, out, layout, ue8m0, rounding, pad = case
    r = rng(seed)
    x = random_input(r, (M, K), xin, row_pad=pad)
    results = []
    for via in ("interp", "reference"):
        q = poisoned((M, K), out)
        storage, s = scale_storage(layout, M, K // group)
        if via == "interp":
            got = tile.group_quant(x, group=group, out=(q, s), scales=layout, ue8m0=ue8m0,
                                   rounding=rounding, backend="interp")
            assert got[0] is q and got[1] is s
        else:
            reference("group_quant", x, q, s, group, LAYOUTS[layout], ue8m0,
                      ROUNDINGS[rounding], 1e-10)
        results.append((q, storage, s))
    return x, results


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_against_reference(case):
    _, ((q, storage, _), (q_ref, storage_ref, _)) = run(case, seed=seed_of(case))
    assert_same_bytes(q, q_ref, "q")
    assert_same_bytes(storage, storage_ref, "scales")
    # Every element was written (the reference writes all of them).
    assert not (np.asarray(q).view(np.uint8) == 0xA5).all() or q.size == 0


def numpy_group_quant(x, group, out, ue8m0):
    """KERNELS.md 1 restated: absmax per group (eps floor), scale = absmax / QMAX
    (UE8M0: rounded up to a power of two by its bits), q = convert(x * (1 / scale))."""
    xf = np.asarray(x, dtype=np.float32)
    M, K = xf.shape
    g = xf.reshape(M, K // group, group)
    absmax = np.maximum(np.abs(g).max(axis=2), np.float32(1e-10))
    qmax = np.float32(448.0 if out == "fp8" else 127.0)
    scale = (absmax / qmax).astype(np.float32)
    if ue8m0:
        bits = scale.view(np.uint32)
        e = ((bits >> 23) & 0xFF).astype(np.int64) + ((bits & 0x7FFFFF) != 0)
        scale = np.ldexp(np.float32(1), np.clip(e, 1, 254) - 127).astype(np.float32)
    inv = (np.float32(1) / scale).astype(np.float32)
    v = (g * inv[:, :, None]).astype(np.float32).reshape(M, K)
    if out == "fp8":
        q = np.clip(v, -448, 448).astype(ml_dtypes.float8_e4m3fn)
    else:
        q = np.clip(np.rint(v), -128, 127).astype(np.int8)
    return q, scale


@pytest.mark.parametrize("layout", ["row", "col", "col_tma"])
@pytest.mark.parametrize("out", ["fp8", "int8"])
@pytest.mark.parametrize("ue8m0", [False, True])
def test_against_kernels_md(layout, out, ue8m0):
    r = rng(7)
    x = random_input(r, (6, 384), "bf16")
    q, s = tile.group_quant(x, group=128, out=out, scales=layout, ue8m0=ue8m0, backend="interp")
    want_q, want_s = numpy_group_quant(x, 128, out, ue8m0)
    assert q.dtype == want_q.dtype and q.shape == (6, 384) and s.shape == (6, 3)
    assert_same_bytes(q, want_q, "q")
    assert_same_bytes(np.ascontiguousarray(s), want_s, "scales")
    if layout == "col_tma":
        assert s.strides == (4, 8 * 4)  # (1, align(6, 4) = 8) elements


def test_packed_scales_are_the_exponents():
    x = random_input(rng(3), (5, 640), "bf16")
    q, s = tile.group_quant(x, group=128, scales="ue8m0_packed", backend="interp")
    _, want = numpy_group_quant(x, 128, "fp8", True)
    assert s.dtype == np.int32 and s.shape == (5, 2) and s.strides == (4, 8 * 4)
    exps = np.ascontiguousarray(s).view(np.uint8).reshape(5, 8)[:, :5]
    assert (exps == (want.view(np.uint32) >> 23)).all()
    # The spare bytes of the partial last word are 0.
    assert (np.ascontiguousarray(s).view(np.uint8).reshape(5, 8)[:, 5:] == 0).all()


def test_allocated_equals_given():
    x = random_input(rng(11), (3, 256), "fp16")
    q1, s1 = tile.group_quant(x, group=64, out="int8", scales="col_tma", backend="interp")
    q2 = poisoned((3, 256), "int8")
    storage, s2 = scale_storage("col_tma", 3, 4)
    tile.group_quant(x, group=64, out=(q2, s2), scales="col_tma", backend="interp")
    assert_same_bytes(q1, q2, "q")
    assert_same_bytes(np.ascontiguousarray(s1), np.ascontiguousarray(s2), "scales")
    assert q1.dtype == np.int8 and s1.strides == s2.strides


def test_eps_is_the_absmax_floor():
    x = random_input(rng(5), (2, 128), "f32") * np.float32(1e-6)
    q, s = tile.group_quant(x, group=128, eps=0.5, backend="interp")
    assert (s == np.float32(0.5) / np.float32(448)).all()


def test_no_rows_any_scale_strides():
    """M = 0: nothing to write; an empty scale tensor's strides are not checked."""
    x = random_input(rng(1), (0, 256), "bf16")
    q, s = tile.group_quant(x, out=(poisoned((0, 256), "fp8"), poisoned((0, 2), np.float32)),
                            scales="col_tma", backend="interp")
    assert q.shape == (0, 256) and s.shape == (0, 2)
