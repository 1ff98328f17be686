"""tile.grouped_gemm_i8 through the interpreter against the C++ reference,
bit-exact: empty experts, ragged N, per-token and per-group scales, group 320,
both precisions, int4 weights, SwiGLU, every output type, decode's few rows
an expert; rows outside the experts untouched."""

import numpy as np
import pytest

import tile
from helpers import assert_same_bytes, poisoned, reference, rng, seed_of

# (counts, pad, N, K, group, precision, act, weights, swiglu, out, lda_pad)
CASES = [
    # Past 32 rows an expert on average: tiles of the rows.
    ([0, 5, 130], 2, 96, 256, 128, "native", "token_group", "int8", False, "bf16", 0),
    ([3, 0, 99], 0, 64, 256, 128, "f16_exact", "token", "int8", False, "f32", 16),
    # Up to 32 (SwiGLU: fewer than 4): each tile within one expert.
    ([17], 0, 48, 640, 320, "native", "token_group", "int8", False, "fp16", 0),
    ([4, 6], 1, 64, 128, 128, "f16_exact", "token_group", "int4", False, "bf16", 0),
    ([6, 2], 0, 128, 256, 128, "native", "token_group", "int8", True, "f32", 0),
    ([0, 0], 3, 32, 128, 128, "f16_exact", "token", "int8", False, "bf16", 0),
    # Decode.
    ([1, 0, 2, 1, 0, 3, 1, 1], 2, 64, 256, 128, "native", "token_group", "int8", False, "bf16", 0),
    ([1, 0, 2, 1, 0, 3, 1, 1], 0, 96, 256, 128, "f16_exact", "token", "int8", False, "f32", 16),
    ([2, 1, 0, 1], 1, 64, 128, 128, "native", "token_group", "int4", True, "bf16", 0),
]

OUT = {"bf16": "bf16", "fp16": "fp16", "f32": np.float32}
PREC = {"native": 0, "f16_exact": 1}


def problem(case):
    counts, pad, N, K, group, _, act, weights, swiglu, _, lda_pad = case
    r = rng(seed_of(case))
    E, M = len(counts), sum(counts) + pad
    a = r.integers(-128, 128, size=(M, K + lda_pad), dtype=np.int8)[:, :K]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    b_rows = N // 2 if weights == "int4" else N
    b = r.integers(-128, 128, size=(E, b_rows, K), dtype=np.int8)
    scale = lambda *shape: np.ldexp(r.uniform(1, 2, shape), r.integers(-9, -6, shape)).astype(np.float32)
    sa = scale(M) if act == "token" else scale(M, K // group)
    sb = scale(E, N, K // group)
    return a, offsets, b, sa, sb, M, N


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_against_reference(case):
    a, offsets, b, sa, sb, M, N = problem(case)
    _, _, _, _, _, precision, _, weights, swiglu, out, _ = case
    cols = N // 2 if swiglu else N
    opts = dict(precision=precision, weights=weights, swiglu=swiglu)
    got = poisoned((M, cols), OUT[out])
    assert tile.grouped_gemm_i8(a, offsets, b, sa, sb, out=got, backend="interp", **opts) is got
    want = poisoned((M, cols), OUT[out])
    reference("grouped_gemm_i8", a, offsets, b, sa, sb, want, PREC[precision],
              1 if weights == "int4" else 0, swiglu)
    assert_same_bytes(got, want, "out")
    assert (np.asarray(got[offsets[-1]:]).view(np.uint8) == 0xA5).all()
    allocated = tile.grouped_gemm_i8(a, offsets, b, sa, sb, out=out, backend="interp", **opts)
    assert allocated.shape == (M, cols)
    assert_same_bytes(allocated[: offsets[-1]], got[: offsets[-1]], "out (allocated)")


def test_precisions_agree():
    case = CASES[0]
    a, offsets, b, sa, sb, M, N = problem(case)
    native = tile.grouped_gemm_i8(a, offsets, b, sa, sb, precision="native", out="f32", backend="interp")
    exact = tile.grouped_gemm_i8(a, offsets, b, sa, sb, precision="f16_exact", out="f32", backend="interp")
    assert_same_bytes(native[: offsets[-1]], exact[: offsets[-1]], "native vs f16_exact")
