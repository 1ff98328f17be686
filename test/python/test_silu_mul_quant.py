"""tile.silu_mul_quant, contiguous and masked, through the interpreter against
the C++ reference: bit-exact (both use the host's exp), poisoned outputs,
masked rows untouched but for their scale slots."""

import numpy as np
import pytest

import tile
from helpers import (LAYOUTS, ROUNDINGS, assert_same_bytes, poisoned, random_input,
                     reference, rng, scale_storage, seed_of)

# (M, H, group, out, scales, ue8m0, up_first, fp32_intermediate, rounding, row_pad)
CONTIGUOUS = [
    (5, 256, 128, "fp8", "row", False, False, False, "rtne", 0),
    (0, 128, 128, "fp8", "col_tma", False, False, False, "rtne", 0),
    (1, 384, 128, "fp8", "ue8m0_packed", False, True, False, "rtne", 0),
    (3, 128, 32, "int8", "col", False, False, True, "rtz", 16),
    (6, 192, 64, "fp8", "col_tma", True, True, True, "rtne", 8),
    (7, 640, 128, "int8", "row", True, False, False, "rna127", 0),
]


@pytest.mark.parametrize("case", CONTIGUOUS, ids=lambda c: "-".join(map(str, c)))
def test_contiguous(case):
    M, H, group, out, layout, ue8m0, up_first, fp32i, rounding, pad = case
    x = random_input(rng(seed_of(case)), (M, 2 * H), "bf16", row_pad=pad)
    opts = dict(group=group, scales=layout, ue8m0=ue8m0, up_first=up_first,
                fp32_intermediate=fp32i, rounding=rounding, backend="interp")
    q = poisoned((M, H), out)
    storage, s = scale_storage(layout, M, H // group)
    tile.silu_mul_quant(x, out=(q, s), **opts)
    q_ref = poisoned((M, H), out)
    storage_ref, s_ref = scale_storage(layout, M, H // group)
    reference("silu_mul_quant", x, q_ref, s_ref, group, LAYOUTS[layout], ue8m0,
              ROUNDINGS[rounding], 1e-10, up_first, fp32i)
    assert_same_bytes(q, q_ref, "q")
    assert_same_bytes(storage, storage_ref, "scales")
    # The allocating call gives the same bytes.
    q2, s2 = tile.silu_mul_quant(x, out=out, **opts)
    assert_same_bytes(q2, q, "q (allocated)")
    assert_same_bytes(np.ascontiguousarray(s2), np.ascontiguousarray(s), "scales (allocated)")


# (E, T, H, masked_m, out, scales, ue8m0)
MASKED = [
    (3, 5, 256, [-1, 3, 7], "fp8", "col_tma", False),
    (2, 4, 128, [4, 0], "fp8", "ue8m0_packed", False),
    (4, 3, 384, [1, 3, 2, 9], "int8", "row", True),
    (1, 6, 128, [5], "fp8", "col_tma", True),
]


@pytest.mark.parametrize("case", MASKED, ids=lambda c: "-".join(map(str, c)))
def test_masked(case):
    E, T, H, live, out, layout, ue8m0 = case
    x = random_input(rng(seed_of(case)), (E, T, 2 * H), "bf16")
    masked_m = np.array(live, dtype=np.int32)
    q = poisoned((E, T, H), out)
    storage, s = scale_storage(layout, T, H // 128, experts=E)
    tile.silu_mul_quant(x, masked_m, out=(q, s), scales=layout, ue8m0=ue8m0, backend="interp")
    q_ref = poisoned((E, T, H), out)
    storage_ref, s_ref = scale_storage(layout, T, H // 128, experts=E)
    reference("silu_mul_quant_masked", x, masked_m, q_ref, s_ref, 128, LAYOUTS[layout],
              ue8m0, 0, 1e-10, False, False)
    assert_same_bytes(q, q_ref, "q")
    assert_same_bytes(storage, storage_ref, "scales")
    # Masked-off rows are not written.
    for e, m in enumerate(live):
        rows = np.asarray(q[e, max(0, min(m, T)):]).view(np.uint8)
        assert (rows == 0xA5).all(), f"expert {e}: rows past masked_m written"
    q2, s2 = tile.silu_mul_quant(x, masked_m, out=out, scales=layout, ue8m0=ue8m0, backend="interp")
    assert q2.shape == (E, T, H) and s2.shape == s.shape and s2.strides == s.strides


def test_silu_and_mul_values():
    """y = bf16(bf16(silu(gate)) * up) then group quant, restated in numpy."""
    import ml_dtypes

    from test_group_quant import numpy_group_quant

    x = random_input(rng(9), (4, 256), "bf16")
    gate, up = np.asarray(x[:, :128], np.float32), np.asarray(x[:, 128:], np.float32)
    with np.errstate(over="ignore"):  # exp(-gate) is inf for gate below -89
        silu = (gate / (np.float32(1) + np.exp(-gate))).astype(ml_dtypes.bfloat16)
    y = (np.asarray(silu, np.float32) * up).astype(ml_dtypes.bfloat16)
    want_q, want_s = numpy_group_quant(y, 128, "fp8", False)
    q, s = tile.silu_mul_quant(x, backend="interp")
    # numpy's exp may differ from the C library's in the last bit: codes
    # within one step, scales within 1e-6.
    diff = np.abs(np.asarray(q, np.float32) - np.asarray(want_q, np.float32))
    assert (diff <= np.abs(np.asarray(want_q, np.float32)) / 8 + 1e-3).all()
    assert np.allclose(s, want_s, rtol=1e-6)
