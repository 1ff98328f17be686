"""tile.token_quant through the interpreter against the C++ reference and a
numpy statement of KERNELS.md 2: K from 1 to past 16384 (the chunked
kernel), odd K and strides, every tile the GPU variants use."""

import numpy as np
import pytest

import tile
from helpers import (ROUNDINGS, assert_same_bytes, poisoned, random_input, reference,
                     rng, seed_of)
from test_group_quant import numpy_group_quant

# (M, K, in, out, ue8m0, rounding, row_pad)
CASES = [
    (3, 1, "bf16", "fp8", False, "rtne", 0),
    (5, 7, "bf16", "fp8", False, "rtne", 1),  # odd K and stride
    (1, 1368, "bf16", "fp8", False, "rtne", 0),  # 1024 + 512
    (4, 2048, "bf16", "int8", False, "rtz", 0),
    (2, 5120, "fp16", "fp8", True, "rtne", 0),  # 4096 + 2048
    (3, 7168, "f32", "int8", False, "rna127", 4),
    (0, 4096, "bf16", "fp8", False, "rtne", 0),
    (2, 16385, "bf16", "fp8", False, "rtne", 3),  # chunked, odd
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_against_reference(case):
    M, K, xin, out, ue8m0, rounding, pad = case
    x = random_input(rng(seed_of(case)), (M, K), xin, row_pad=pad)
    q, s = poisoned((M, K), out), poisoned((M,), np.float32)
    got = tile.token_quant(x, out=(q, s), ue8m0=ue8m0, rounding=rounding, backend="interp")
    assert got[0] is q and got[1] is s
    q_ref, s_ref = poisoned((M, K), out), poisoned((M,), np.float32)
    reference("token_quant", x, q_ref, s_ref, ue8m0, ROUNDINGS[rounding], 1e-10)
    assert_same_bytes(q, q_ref, "q")
    assert_same_bytes(s, s_ref, "scales")


@pytest.mark.parametrize("out", ["fp8", "int8"])
def test_against_kernels_md(out):
    x = random_input(rng(2), (5, 1000), "bf16")
    q, s = tile.token_quant(x, out=out, backend="interp")
    want_q, want_s = numpy_group_quant(x, 1000, out, False)
    assert q.shape == (5, 1000) and s.shape == (5,)
    assert_same_bytes(q, want_q, "q")
    assert_same_bytes(s, want_s.reshape(5), "scales")


def test_strided_scales():
    x = random_input(rng(4), (6, 300), "bf16")
    storage = poisoned((6, 3), np.float32)
    tile.token_quant(x, out=(poisoned((6, 300), "fp8"), storage[:, 1]), backend="interp")
    _, want = numpy_group_quant(x, 300, "fp8", False)
    assert_same_bytes(storage[:, 1].copy(), want.reshape(6), "scales")
    assert (storage[:, [0, 2]].copy().view(np.uint8) == 0xA5).all()
