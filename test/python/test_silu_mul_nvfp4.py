"""tile.silu_mul_nvfp4 through the interpreter against the C++ reference:
experts of 0, 1, 100, 128, 129 rows, padding rows past offsets[E], one
expert, all empty, up_first, a strided input; every byte of q and of the
swizzled scales (padding zeroed) compared."""

import numpy as np
import pytest

import tile
from helpers import assert_same_bytes, poisoned, random_input, reference, rng, seed_of

# (expert rows, pad rows, K, up_first, row_pad)
CASES = [
    ([0, 1, 100, 129], 3, 64, False, 0),
    ([128], 0, 48, True, 0),
    ([0, 0], 2, 32, False, 16),
    ([5, 0, 7], 0, 256, True, 8),
]


def problem(case):
    rows, pad, K, up_first, row_pad = case
    r = rng(seed_of(case))
    M = sum(rows) + pad
    x = random_input(r, (M, 2 * K), "bf16", row_pad=row_pad)
    offsets = np.concatenate([[0], np.cumsum(rows)]).astype(np.int32)
    gs = r.uniform(0.5, 200.0, size=len(rows)).astype(np.float32)
    return x, offsets, gs, M, K, up_first


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_against_reference(case):
    x, offsets, gs, M, K, up_first = problem(case)
    sf = tile.nvfp4_scale_offsets(offsets)
    S, row_bytes = int(sf[-1]), 4 * ((K + 63) // 64)
    q, s = poisoned((M, K // 2), np.uint8), poisoned((S, row_bytes), np.uint8)
    got = tile.silu_mul_nvfp4(x, offsets, gs, sf_offsets=sf, up_first=up_first, out=(q, s),
                              backend="interp")
    assert got[0] is q and got[1] is s
    q_ref, s_ref = poisoned((M, K // 2), np.uint8), poisoned((S, row_bytes), np.uint8)
    reference("silu_mul_nvfp4", x, offsets, sf, gs, q_ref, s_ref, up_first)
    assert_same_bytes(q, q_ref, "q")
    assert_same_bytes(s, s_ref, "scales")
    # Rows past offsets[E] are neither read nor written.
    assert (q[offsets[-1]:] == 0xA5).all()
    # Allocating (sf_offsets computed here) gives the same bytes.
    q2, s2 = tile.silu_mul_nvfp4(x, offsets, gs, up_first=up_first, backend="interp")
    assert_same_bytes(q2[: offsets[-1]], q[: offsets[-1]], "q (allocated)")
    assert_same_bytes(s2, s, "scales (allocated)")


def test_scale_offsets():
    assert list(tile.nvfp4_scale_offsets(np.array([0, 0, 1, 101, 230, 230]))) == [
        0, 0, 128, 256, 512, 512]
