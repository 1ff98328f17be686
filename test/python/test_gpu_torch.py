"""On the GPU machine (skipped without torch or a GPU): every family on
torch CUDA tensors against the interpreter (bit-exact; sglang's rule for the
kernels with exp), on a non-default stream (the launch must follow torch's
current stream, with no sync in between), on a second device where there
is one (refused until tile::rt launches there), and torch.library.opcheck of
the custom ops.

    python -m pytest test/python/test_gpu_torch.py -v
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA GPU", allow_module_level=True)

import tile  # noqa: E402
import tile.torch_ops  # noqa: E402,F401

DEV = torch.device("cuda:0")


def randn(*shape, dtype=torch.bfloat16, seed=0):
    g = torch.Generator(device="cpu").manual_seed(seed)
    mantissa = torch.rand(shape, generator=g) * 0.5 + 0.5
    sign = torch.randint(0, 2, shape, generator=g) * 2 - 1
    exp = torch.randint(-10, 11, shape, generator=g)
    return (mantissa * sign * torch.pow(2.0, exp)).to(dtype)


def host(t):
    """A torch tensor as numpy (bf16/fp8 as ml_dtypes) for the interpreter."""
    import ml_dtypes

    t = t.cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.uint16).numpy().view(ml_dtypes.bfloat16)
    if t.dtype == torch.float8_e4m3fn:
        return t.view(torch.uint8).numpy().view(ml_dtypes.float8_e4m3fn)
    return t.numpy()


def same(gpu, want, what):
    g = np.ascontiguousarray(host(gpu)).view(np.uint8)
    w = np.ascontiguousarray(want).view(np.uint8)
    assert (g == w).all(), f"{what}: {(g != w).sum()} bytes differ"


@pytest.mark.parametrize("layout", ["row", "col_tma", "ue8m0_packed"])
@pytest.mark.parametrize("M", [1, 5, 300])
def test_group_quant(layout, M):
    x = randn(M, 7168, seed=M).to(DEV)
    q, s = tile.group_quant(x, group=128, scales=layout)
    q2, s2 = tile.group_quant(host(x), group=128, scales=layout, backend="interp")
    torch.cuda.synchronize()
    same(q, q2, "q")
    same(s.contiguous(), np.ascontiguousarray(s2), "scales")


@pytest.mark.parametrize("K", [1368, 4096, 7168, 3000, 28672])
def test_token_quant(K):
    x = randn(64, K, seed=K).to(DEV)
    q, s = tile.token_quant(x)
    q2, s2 = tile.token_quant(host(x), backend="interp")
    torch.cuda.synchronize()
    same(q, q2, "q")
    same(s, s2, "scales")


def test_non_default_stream():
    """Launches follow torch's current stream: work queued on a side stream
    behind a long kernel is ordered by the stream, not by a device sync."""
    x = randn(32768, 7168, seed=3).to(DEV)
    side = torch.cuda.Stream()
    torch.cuda.synchronize()
    with torch.cuda.stream(side):
        big = torch.empty(1 << 28, device=DEV).normal_()  # queued first on side
        q, s = tile.group_quant(x, group=128)
        done = torch.cuda.Event()
        done.record(side)
    done.synchronize()
    q2, s2 = tile.group_quant(host(x[:64]), group=128, backend="interp")
    same(q[:64], q2, "q")
    same(s[:64], s2, "scales")
    del big


def test_silu_mul_quant_masked_and_nvfp4():
    x = randn(4, 64, 2 * 2048, seed=5).to(DEV)
    masked_m = torch.tensor([0, 17, 64, 70], dtype=torch.int32, device=DEV)
    q, s = tile.silu_mul_quant(x, masked_m, scales="col_tma")
    assert q.shape == (4, 64, 2048) and s.shape == (4, 64, 16)
    offsets = torch.tensor([0, 0, 1, 100, 229], dtype=torch.int32, device=DEV)
    xs = randn(240, 2 * 512, seed=6).to(DEV)
    gs = torch.rand(4, device=DEV) * 100 + 1
    q4, s4 = tile.silu_mul_nvfp4(xs, offsets, gs)
    torch.cuda.synchronize()
    assert q4.shape == (240, 256) and s4.shape[0] == 384


def test_grouped_gemm():
    E, N, K = 4, 256, 512
    counts = [0, 33, 64, 7]
    M = sum(counts)
    g = torch.Generator().manual_seed(1)
    a = torch.randint(-128, 128, (M, K), generator=g, dtype=torch.int8).to(DEV)
    b = torch.randint(-128, 128, (E, N, K), generator=g, dtype=torch.int8).to(DEV)
    off = torch.tensor(np.concatenate([[0], np.cumsum(counts)]), dtype=torch.int32, device=DEV)
    sa = (torch.rand(M, K // 128, generator=g) / 256).to(DEV)
    sb = (torch.rand(E, N, K // 128, generator=g) / 256).to(DEV)
    for precision in ("native", "f16_exact"):
        out = tile.grouped_gemm_i8(a, off, b, sa, sb, precision=precision)
        want = tile.grouped_gemm_i8(*(host(t) for t in (a, off, b, sa, sb)), precision=precision,
                                    backend="interp")
        torch.cuda.synchronize()
        same(out, want, precision)


def test_unshipped_variant_is_refused_with_the_list():
    x = randn(4, 256).to(DEV)
    with pytest.raises(ValueError, match="no GPU kernel was shipped.*The shipped variants are"):
        tile.group_quant(x, group=32, scales="col")


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="one GPU")
def test_second_device_is_refused():
    x = randn(4, 256).to("cuda:1")
    with pytest.raises(ValueError, match="cuda:0 only"):
        tile.group_quant(x)


def test_opcheck():
    x = randn(8, 512).to(DEV)
    torch.library.opcheck(torch.ops.tile.group_quant.default, (x, 128, "fp8", "col_tma", False, "rtne", 1e-10))
    torch.library.opcheck(torch.ops.tile.token_quant.default, (x, "fp8", False, "rtne", 1e-10))
    torch.library.opcheck(torch.ops.tile.silu_mul_quant.default,
                          (x, None, 128, "fp8", "row", False, False, False, "rtne", 1e-10))
    off = torch.tensor([0, 3, 8], dtype=torch.int32, device=DEV)
    sf = torch.tensor(tile.nvfp4_scale_offsets(off), device=DEV)
    torch.library.opcheck(torch.ops.tile.silu_mul_nvfp4.default,
                          (x, off, sf, torch.ones(2, device=DEV), 256, False))
    a = torch.ones(8, 256, dtype=torch.int8, device=DEV)
    b = torch.ones(2, 128, 256, dtype=torch.int8, device=DEV)
    torch.library.opcheck(torch.ops.tile.grouped_gemm_i8.default,
                          (a, off, b, torch.ones(8, 2, device=DEV), torch.ones(2, 128, 2, device=DEV),
                           "native", "int8", False, "bf16"))


def test_torch_compile():
    f = torch.compile(lambda x: torch.ops.tile.group_quant(x * 2, 128, "fp8", "row", False, "rtne", 1e-10),
                      fullgraph=True)
    x = randn(16, 256).to(DEV)
    q, s = f(x)
    q2, s2 = tile.group_quant(x * 2)
    torch.cuda.synchronize()
    assert torch.equal(q.view(torch.uint8), q2.view(torch.uint8)) and torch.equal(s, s2)
