"""On the GPU machine (skipped without torch or a GPU): every family on
torch CUDA tensors, group_quant and token_quant bit-exact against the numpy
statement of KERNELS.md, the others against the interpreter where it loads
(it needs LLVM, which the GPU machine lacks: those comparisons skip there)
and against float64 or exact-code checks otherwise; a non-default stream
(the launch must follow torch's current stream, with no sync in between); a
second device where there is one (the call runs there, bit-exact against
cuda:0);
torch.library.opcheck of the custom ops and torch.compile through them.

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

try:
    from tile._modules import interp_module

    interp_module()
    HAVE_INTERP = True
except ImportError:
    HAVE_INTERP = False
needs_interp = pytest.mark.skipif(not HAVE_INTERP, reason="the interpreter needs LLVM/MLIR 22")


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
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_group_quant(layout, M, dtype):
    from test_group_quant import numpy_group_quant

    x = randn(M, 7168, seed=M, dtype=dtype).to(DEV)
    q, s = tile.group_quant(x, group=128, scales=layout)
    torch.cuda.synchronize()
    want_q, want_s = numpy_group_quant(host(x), 128, "fp8", layout == "ue8m0_packed")
    same(q, want_q, "q")
    if layout == "ue8m0_packed":
        exps = s.contiguous().cpu().numpy().view(np.uint8).reshape(M, -1)[:, :56]
        assert (exps == (want_s.view(np.uint32) >> 23)).all()
        assert s.stride() == (1, (M + 3) // 4 * 4)
    else:
        same(s.contiguous(), want_s, "scales")


@pytest.mark.parametrize("K", [1368, 4096, 5120, 7168, 3000, 1367, 28672])
def test_token_quant(K):
    from test_group_quant import numpy_group_quant

    x = randn(64, K, seed=K).to(DEV)
    q, s = tile.token_quant(x)
    torch.cuda.synchronize()
    want_q, want_s = numpy_group_quant(host(x), K, "fp8", False)
    same(q, want_q, "q")
    same(s, want_s.reshape(64), "scales")


def test_strided_input():
    """A row stride that is not a multiple of 16 elements: the divisibility-1
    kernels, the same codes."""
    from test_group_quant import numpy_group_quant

    x = randn(64, 7168 + 8, seed=2).to(DEV)[:, :7168]
    q, s = tile.group_quant(x)
    torch.cuda.synchronize()
    want_q, want_s = numpy_group_quant(host(x), 128, "fp8", False)
    same(q, want_q, "q")
    same(s, want_s, "scales")


def test_non_default_stream():
    """Launches follow torch's current stream: on a side stream, the input is
    written by a torch kernel queued just before (no sync in between), and the
    quantization must see it; the default stream stays idle."""
    from test_group_quant import numpy_group_quant

    src = randn(4096, 7168, seed=3).to(DEV)
    x = torch.empty_like(src)
    side = torch.cuda.Stream()
    torch.cuda.synchronize()
    with torch.cuda.stream(side):
        torch.cuda._sleep(50_000_000)  # ~tens of ms: the copy below is late
        x.copy_(src)
        q, s = tile.group_quant(x, group=128)
        done = torch.cuda.Event()
        done.record(side)
    assert torch.cuda.current_stream() == torch.cuda.default_stream()
    done.synchronize()
    want_q, want_s = numpy_group_quant(host(src), 128, "fp8", False)
    same(q, want_q, "q")
    same(s, want_s, "scales")


def fp8_codes(q):
    """Signed fp8 codes (sign and magnitude bits) of a numpy float8 array,
    comparable by distance."""
    b = np.ascontiguousarray(q).view(np.uint8).astype(np.int64)
    return np.where(b & 0x80, -(b & 0x7F), b & 0x7F)


def sglang_rule(got, want, what):
    """KERNELS.md 3 on the GPU: no sign flips, no code off by 2 or more, at
    most 0.5% of codes off by one."""
    d = np.abs(got - want)
    assert not ((got * want) < 0).any(), f"{what}: a sign flip"
    assert d.max(initial=0) <= 1, f"{what}: a code off by {d.max()}"
    assert (d == 1).sum() * 200 <= d.size, f"{what}: {(d == 1).sum()} of {d.size} codes off by one"


def test_silu_mul_quant_masked():
    """Live rows within sglang's rule of the numpy statement (exp differs in
    the last bit), rows past masked_m untouched, their scale slots 1.0."""
    import ml_dtypes

    from test_group_quant import numpy_group_quant

    E, T, H = 4, 64, 2048
    x = randn(E, T, 2 * H, seed=5).to(DEV)
    live = [0, 17, 64, 70]
    masked_m = torch.tensor(live, dtype=torch.int32, device=DEV)
    q = torch.full((E, T, H), 0x7F, dtype=torch.uint8, device=DEV).view(torch.float8_e4m3fn)
    aligned = (T + 3) // 4 * 4
    s = torch.empty(E, H // 128, aligned, device=DEV).transpose(1, 2)[:, :T]
    tile.silu_mul_quant(x, masked_m, out=(q, s), scales="col_tma")
    torch.cuda.synchronize()
    xh = np.asarray(host(x), np.float32)
    for e, m in enumerate(live):
        m = min(m, T)
        if m:
            gate, up = xh[e, :m, :H], xh[e, :m, H:]
            with np.errstate(over="ignore"):
                silu = (gate / (np.float32(1) + np.exp(-gate))).astype(ml_dtypes.bfloat16)
            y = (np.asarray(silu, np.float32) * up).astype(ml_dtypes.bfloat16)
            want_q, want_s = numpy_group_quant(y, 128, "fp8", False)
            sglang_rule(fp8_codes(host(q[e, :m])), fp8_codes(want_q), f"expert {e}")
            assert np.allclose(s[e, :m].cpu().numpy(), want_s, rtol=1e-3)
        assert (q[e, m:].view(torch.uint8) == 0x7F).all(), f"expert {e}: masked rows written"
        assert (s[e, m:] == 1.0).all(), f"expert {e}: masked scale slots"


@pytest.mark.parametrize("K", [512, 2320])
def test_silu_mul_nvfp4(K):
    """Codes within one e2m1 step of the interpreter where it loads; padding
    bytes 0 and rows past offsets[E] untouched everywhere. K = 2320 takes two
    programs a row (the 2-warp variants)."""
    offsets = torch.tensor([0, 0, 1, 100, 229], dtype=torch.int32, device=DEV)
    x = randn(240, 2 * K, seed=6).to(DEV)
    gs = torch.rand(4, device=DEV) * 100 + 1
    q = torch.full((240, K // 2), 0xA5, dtype=torch.uint8, device=DEV)
    sf = torch.tensor(tile.nvfp4_scale_offsets(offsets), device=DEV)
    s = torch.full((384, 4 * ((K + 63) // 64)), 0xA5, dtype=torch.uint8, device=DEV)
    tile.silu_mul_nvfp4(x, offsets, gs, sf_offsets=sf, out=(q, s))
    torch.cuda.synchronize()
    assert (q[229:] == 0xA5).all()
    assert (s != 0xA5).all()  # every byte of the 3 blocks written (padding 0)
    if HAVE_INTERP:
        q2, s2 = tile.silu_mul_nvfp4(host(x), host(offsets), host(gs), backend="interp")
        nib = lambda b: np.stack([b & 15, b >> 4]).astype(np.int64)
        val = lambda c: np.where(c & 8, -(c & 7), c & 7)
        d = np.abs(val(nib(q.cpu().numpy()[:229])) - val(nib(q2[:229])))
        assert d.max() <= 1 and (d != 0).sum() * 200 <= d.size


@pytest.mark.parametrize("counts", [
    [0, 33, 129, 7],  # 42 rows an expert on average: tiles of the rows
    # Decode (1 row an expert on average): each tile within one expert.
    [1, 0, 2, 1, 0, 3, 1, 1],
])
def test_grouped_gemm(counts):
    E, N, K = len(counts), 256, 512
    M = sum(counts)
    g = torch.Generator().manual_seed(1)
    a = torch.randint(-128, 128, (M, K), generator=g, dtype=torch.int8).to(DEV)
    b = torch.randint(-128, 128, (E, N, K), generator=g, dtype=torch.int8).to(DEV)
    off = torch.tensor(np.concatenate([[0], np.cumsum(counts)]), dtype=torch.int32, device=DEV)
    sa = (torch.rand(M, K // 128, generator=g) / 256).to(DEV)
    sb = (torch.rand(E, N, K // 128, generator=g) / 256).to(DEV)
    exact = torch.zeros(M, N, dtype=torch.float64)
    ac, bc, sac, sbc = a.cpu().double(), b.cpu().double(), sa.cpu().double(), sb.cpu().double()
    for e in range(E):
        rows = slice(int(off[e]), int(off[e + 1]))
        for g in range(K // 128):
            dot = ac[rows, g * 128:(g + 1) * 128] @ bc[e, :, g * 128:(g + 1) * 128].T
            exact[rows] += dot * sac[rows, g:g + 1] * sbc[e, :, g]
    for precision in ("native", "f16_exact"):
        # bf16 out (the shipped GPU variants): the f32 sum rounded once, so
        # within half a bf16 unit (at most 2^-8 of the value: 8 significant
        # bits) of the exact value, plus the f32 accumulation's own error
        # (relative to the largest partial sums, not to a cancelled result).
        out = tile.grouped_gemm_i8(a, off, b, sa, sb, precision=precision)
        torch.cuda.synchronize()
        got = out.float().cpu().double()
        err = (got - exact).abs()
        bound = exact.abs() * 2.0 ** -8 + 1e-5 * float(exact.abs().max())
        assert bool((err <= bound).all()), (precision, float((err - bound).max()))
        if HAVE_INTERP:
            want = tile.grouped_gemm_i8(*(host(t) for t in (a, off, b, sa, sb)), precision=precision,
                                        backend="interp")
            same(out, want, precision)


def test_unshipped_variant_is_refused_with_the_list():
    x = randn(4, 256).to(DEV)
    with pytest.raises(ValueError, match="(?s)no GPU kernel was shipped.*The shipped variants are"):
        tile.group_quant(x, group=32, scales="col")


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="one GPU")
def test_second_device_runs_there():
    """A call on cuda:1 tensors runs on cuda:1, bit-exact against the same call
    on cuda:0: with cuda:0 current (tile makes cuda:1 current for the launch,
    on cuda:1's current stream, and gives cuda:0 back), and with cuda:1 current
    on a side stream of it, into given outputs poisoned first."""
    M, K = 300, 7168
    x0 = randn(M, K, seed=11).to("cuda:0")
    x1 = x0.to("cuda:1")
    q0, s0 = tile.group_quant(x0, group=128, scales="col_tma")
    with torch.cuda.device(0):
        q1, s1 = tile.group_quant(x1, group=128, scales="col_tma")
        assert torch.cuda.current_device() == 0
    q2 = torch.full((M, K), 0xA5, dtype=torch.uint8, device="cuda:1").view(torch.float8_e4m3fn)
    s2 = torch.full((K // 128, M), float("nan"), device="cuda:1").t()  # col_tma: strides (1, M)
    side = torch.cuda.Stream(device="cuda:1")
    side.wait_stream(torch.cuda.current_stream("cuda:1"))
    with torch.cuda.stream(side):
        tile.group_quant(x1, group=128, scales="col_tma", out=(q2, s2))
    side.synchronize()
    torch.cuda.synchronize("cuda:0")
    torch.cuda.synchronize("cuda:1")
    for got in (q1, s1):
        assert got.device == torch.device("cuda:1")
    for got in (q1, q2):
        assert torch.equal(q0.view(torch.uint8).cpu(), got.view(torch.uint8).cpu())
    for got in (s1, s2):
        assert torch.equal(s0.cpu().view(torch.int32), got.cpu().view(torch.int32))
    # cuda:0 again, after the kernel has run on cuda:1.
    q3, s3 = tile.group_quant(x0, group=128, scales="col_tma")
    torch.cuda.synchronize("cuda:0")
    assert torch.equal(q0.view(torch.uint8), q3.view(torch.uint8))
    assert torch.equal(s0.view(torch.int32), s3.view(torch.int32))


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
