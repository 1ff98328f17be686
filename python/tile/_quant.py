"""What the quantization families share: option words and scale tensors."""

from __future__ import annotations

from . import _arrays
from ._modules import option

LAYOUTS = {"row": 0, "col": 1, "col_tma": 2, "ue8m0_packed": 3}
ROUNDINGS = {"rtne": 0, "rtz": 1, "rna127": 2}
OUT_TYPES = {"fp8": "float8_e4m3fn", "int8": "int8"}
GROUPS = (16, 32, 64, 128, 256)


def check_group(fn: str, group):
    if group not in GROUPS:
        raise ValueError(f"tile.{fn}: argument 'group': must be 16, 32, 64, 128 or 256, got {group!r}")


def shape(fn: str, name: str, t, ndim: int, what: str):
    """``t.shape`` checked to have ``ndim`` dimensions (the text the native
    checks use), before outputs are allocated from it."""
    s = tuple(int(d) for d in t.shape)
    if len(s) != ndim:
        raise ValueError(
            f"tile.{fn}: argument '{name}': expected {ndim} dimension{'s' if ndim > 1 else ''} "
            f"{what}, got shape {s}"
        )
    return s


def empty_scales(like, layout: str, rows: int, groups: int, experts: int = 0):
    """Scales for ``rows`` rows of ``groups`` groups in ``layout`` (per expert
    with ``experts``): see the layouts in tile.group_quant's docstring."""
    aligned = (rows + 3) // 4 * 4
    lead = (experts,) if experts else ()
    if layout == "row":
        return _arrays.empty(like, lead + (rows, groups), "float32")
    if layout == "col":
        if experts:
            return _arrays.empty_expert_column_major(like, experts, rows, rows, groups, "float32")
        return _arrays.empty_column_major(like, rows, rows, groups, "float32")
    words = (groups + 3) // 4 if layout == "ue8m0_packed" else groups
    dtype = "int32" if layout == "ue8m0_packed" else "float32"
    if experts:
        return _arrays.empty_expert_column_major(like, experts, rows, aligned, words, dtype)
    return _arrays.empty_column_major(like, rows, aligned, words, dtype)


def quant_options(fn, scales, rounding):
    return option(fn, "scales", scales, LAYOUTS), option(fn, "rounding", rounding, ROUNDINGS)


def outputs(fn: str, out, count: int):
    """The given outputs, checked to be a tuple of ``count`` tensors."""
    if not isinstance(out, (tuple, list)) or len(out) != count:
        raise ValueError(
            f"tile.{fn}: argument 'out': expected an output type name or a tuple of "
            f"{count} tensors, got {type(out).__name__}"
        )
    return tuple(out)
