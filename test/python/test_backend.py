"""The backends: the no-GPU error of backend="gpu", "auto" on host arrays,
the shipped GPU variants, views of ml_dtypes arrays, and the torch ops
module importable without torch."""

import importlib

import numpy as np
import pytest

import tile
from helpers import assert_same_bytes, random_input, rng

no_gpu = pytest.mark.skipif(tile.has_gpu(), reason="this machine has a GPU")


@no_gpu
@pytest.mark.parametrize("call", [
    lambda x: tile.group_quant(x, backend="gpu"),
    lambda x: tile.token_quant(x, backend="gpu"),
    lambda x: tile.silu_mul_quant(x, backend="gpu"),
    lambda x: tile.silu_mul_nvfp4(x, np.array([0, 2], np.int32), np.ones(1, np.float32), backend="gpu"),
    lambda x: tile.grouped_gemm_i8(np.ones((2, 128), np.int8), np.array([0, 2], np.int32),
                                   np.ones((1, 16, 128), np.int8), np.ones(2, np.float32),
                                   np.ones((1, 16, 1), np.float32), backend="gpu"),
])
def test_gpu_backend_without_gpu(call):
    x = random_input(rng(0), (2, 256), "bf16")
    with pytest.raises(RuntimeError, match=r"backend 'gpu' needs a CUDA GPU: TILE_(NO_GPU|NO_DRIVER): .*backend='interp'"):
        call(x)
    assert "TILE_NO" in tile.gpu_status()


def test_auto_runs_host_arrays_in_the_interpreter():
    x = random_input(rng(1), (3, 128), "bf16")
    q1, s1 = tile.group_quant(x)
    q2, s2 = tile.group_quant(x, backend="interp")
    assert_same_bytes(q1, q2, "q")
    assert_same_bytes(s1, s2, "scales")


def test_shipped_variants():
    families = ["group_quant", "token_quant", "silu_mul_quant", "silu_mul_nvfp4", "grouped_gemm_i8"]
    for family in families:
        variants = tile.gpu_variants(family)
        assert variants, family
        assert all("=" in v for v in variants)
    assert any(v.startswith("group=128 in=bf16 out=fp8 rounding=rtne scales=col_tma ue8m0=1")
               for v in tile.gpu_variants("group_quant"))
    with pytest.raises(ValueError, match="no kernel family 'gemm'"):
        tile.gpu_variants("gemm")


def test_view_as():
    import ml_dtypes

    bits = np.arange(6, dtype=np.uint16).reshape(2, 3)
    t = tile.view_as(bits, "bfloat16")
    assert str(t.dtype) == "bfloat16" and tuple(t.shape) == (2, 3)
    with pytest.raises(TypeError, match="a 16-bit tensor cannot be read as float8_e4m3fn"):
        tile.view_as(bits, "float8_e4m3fn")
    with pytest.raises(ValueError, match="dtype must be one of"):
        tile.view_as(bits, "bf16")
    # ml_dtypes arrays go through such views.
    x = random_input(rng(2), (2, 128), "bf16")
    assert x.dtype == ml_dtypes.bfloat16
    q, _ = tile.group_quant(x)
    assert q.dtype == ml_dtypes.float8_e4m3fn


def test_torch_ops_imports_without_torch():
    module = importlib.import_module("tile.torch_ops")
    if module.torch is None:
        with pytest.raises(ImportError, match="tile.torch_ops needs torch"):
            module.register()
