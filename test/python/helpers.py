"""What the Python tests share: fresh random inputs (never zeros), poisoned
outputs, byte-for-byte comparison, and the C++ references (the interpreter
module's reference_<family>)."""

import ml_dtypes
import numpy as np

import tile
from tile import _arrays
from tile._modules import interp_module

POISON = 0xA5

TYPES = {
    "bf16": ml_dtypes.bfloat16,
    "fp16": np.float16,
    "f32": np.float32,
    "fp8": ml_dtypes.float8_e4m3fn,
    "int8": np.int8,
}


def rng(seed):
    return np.random.default_rng(seed)


def random_values(r, shape):
    """float32 values over many binades (2^-10 to 2^10), none zero."""
    mantissa = r.uniform(0.5, 1.0, size=shape) * r.choice([-1.0, 1.0], size=shape)
    return np.ldexp(mantissa, r.integers(-10, 11, size=shape)).astype(np.float32)


def random_input(r, shape, dtype="bf16", row_pad=0):
    """An input of ``shape`` in ``dtype``; with ``row_pad`` a view whose rows
    have that many elements more (a strided input)."""
    full = tuple(shape[:-1]) + (shape[-1] + row_pad,)
    x = random_values(r, full).astype(TYPES[dtype])
    return x[..., : shape[-1]] if row_pad else x


def poisoned(shape, dtype):
    """An array whose every byte is 0xA5: what a kernel skips stays so."""
    a = np.empty(shape, dtype=TYPES.get(dtype, dtype))
    a.view(np.uint8)[...] = POISON
    return a


def scale_storage(layout, rows, groups, experts=0):
    """(storage, view) of poisoned scales in ``layout``: the view the kernel
    takes, the storage whose every byte is compared (padding rows too)."""
    aligned = (rows + 3) // 4 * 4
    lead = (experts,) if experts else ()
    if layout == "row":
        s = poisoned(lead + (rows, groups), np.float32)
        return s, s
    cols = (groups + 3) // 4 if layout == "ue8m0_packed" else groups
    dtype = np.int32 if layout == "ue8m0_packed" else np.float32
    storage_rows = rows if layout == "col" else aligned
    storage = poisoned(lead + (cols, storage_rows), dtype)
    view = np.swapaxes(storage, -1, -2)[..., :rows, :]
    return storage, view


def assert_same_bytes(got, want, what):
    g = np.ascontiguousarray(got).view(np.uint8).reshape(-1)
    w = np.ascontiguousarray(want).view(np.uint8).reshape(-1)
    assert g.shape == w.shape, f"{what}: {g.shape} bytes against {w.shape}"
    bad = np.flatnonzero(g != w)
    assert bad.size == 0, (
        f"{what}: {bad.size} of {g.size} bytes differ, first at byte {bad[0]}: "
        f"{g[bad[0]]:#04x} instead of {w[bad[0]]:#04x}"
    )


def reference(name, *args):
    """The C++ reference of family ``name`` on the same arguments."""
    fn = getattr(interp_module(), "reference_" + name)
    return fn(*[_arrays.arg(a) if isinstance(a, np.ndarray) else a for a in args])


LAYOUTS = {"row": 0, "col": 1, "col_tma": 2, "ue8m0_packed": 3}
ROUNDINGS = {"rtne": 0, "rtz": 1, "rna127": 2}


def seed_of(case):
    """The seed of a case's inputs: the same in every run (the case is in
    pytest's test id), other inputs with TILE_TEST_SEED=N in the environment."""
    import os
    import zlib

    return zlib.crc32((repr(case) + os.environ.get("TILE_TEST_SEED", "")).encode())
