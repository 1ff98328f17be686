"""The host cost of a launch from Python (not a test; run on the GPU machine):

    python test/python/launch_cost.py [--iterations 20000] [--rounds 5]

group_quant at M = 1, K = 7168 (the GPU work is ~2 µs, so launches queue up
and each call's host time is what is measured), µs per call, each row the
median of `rounds` rounds in which every row is measured once (interleaved,
so that a drifting host moves all rows alike):

  raw cuLaunchKernel      the same kernel and arguments from C++, no checks
  tvm-ffi call floor      a native function taking x, q and scales and doing
                          nothing: the cost of any call from Python with three
                          torch tensors
  native group_quant      the native function tile.group_quant calls, called
                          directly (the checks, the plan and the launch in C++,
                          without the Python wrapper)
  tile (out=...)          tile.group_quant with the outputs given
  tile (allocating)       tile.group_quant allocating q and scales with torch
  torch.ops.tile          the torch custom op (torch.library.custom_op)
  aten op (TORCH_LIBRARY) torch.ops.aten.abs_ on a tiny tensor: the
                          dispatcher cost of a C++ op registered with TORCH_LIBRARY
  triton launch           an empty Triton kernel (when triton is installed)

The issue's target: tile from Python <= raw + 3 µs, judged on the median over
the rounds of (tile - raw) measured in the same round.
"""

import argparse
import statistics
import time

import torch

import tile
import tile.torch_ops  # noqa: F401
from tile._modules import gpu_module
from tile._quant import quant_options

# An empty Triton kernel, for Triton's launch cost (at module level: Triton
# resolves `tl` in the function's globals).
try:
    import triton
    import triton.language as tl

    @triton.jit
    def empty_kernel(x_ptr, n: tl.constexpr):
        pass
except ImportError:
    empty_kernel = None


def per_call(fn, iterations):
    for _ in range(200):
        fn()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(iterations):
        fn()
    elapsed = time.perf_counter() - start
    torch.cuda.synchronize()
    return elapsed / iterations * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20000,
                        help="calls per measurement (default 20000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of every measurement, interleaved (default 5)")
    args = parser.parse_args()
    n = args.iterations
    x = torch.randn(1, 7168, device="cuda").to(torch.bfloat16)
    q = torch.empty(1, 7168, dtype=torch.float8_e4m3fn, device="cuda")
    s = torch.empty(1, 56, dtype=torch.float32, device="cuda")
    module = gpu_module()
    layout, rounding = quant_options("group_quant", "row", "rtne")
    tiny = torch.ones(16, device="cuda")

    def raw():
        us = module.raw_launch_micros(x, q, s, n)
        torch.cuda.synchronize()
        return us

    measurements = [
        ("raw cuLaunchKernel (C++)", raw),
        ("tvm-ffi call floor", lambda: per_call(lambda: module.call_floor(x, q, s), n)),
        ("native group_quant", lambda: per_call(
            lambda: module.group_quant(x, q, s, 128, layout, False, rounding, 1e-10), n)),
        ("tile (out=...)", lambda: per_call(lambda: tile.group_quant(x, out=(q, s)), n)),
        ("tile (allocating)", lambda: per_call(lambda: tile.group_quant(x), n)),
        ("torch.ops.tile", lambda: per_call(
            lambda: torch.ops.tile.group_quant(x, 128, "fp8", "row", False, "rtne", 1e-10), n)),
        ("aten op (TORCH_LIBRARY)", lambda: per_call(lambda: torch.ops.aten.abs_(tiny), n)),
    ]
    if empty_kernel is not None:
        measurements.append(("triton launch", lambda: per_call(lambda: empty_kernel[(1,)](x, 1), n)))
    # Every measurement once a round, rounds interleaved, so that a host that
    # drifts (the machine's speed varies by a third between runs seconds
    # apart) moves every row alike; each row reports its median round, and
    # the verdict compares tile with the raw launch of the same round.
    results = {name: [] for name, _ in measurements}
    for _ in range(args.rounds):
        for name, measure in measurements:
            results[name].append(measure())
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}, "
          f"{n} calls a measurement, median of {args.rounds} interleaved rounds (min, max)")
    for name, _ in measurements:
        values = results[name]
        print(f"  {name:28s} {statistics.median(values):7.2f} µs  ({min(values):.2f}, {max(values):.2f})")
    over = [t - r for t, r in zip(results["tile (out=...)"], results["raw cuLaunchKernel (C++)"])]
    median_over = statistics.median(over)
    verdict = "meets" if median_over <= 3 else "MISSES"
    print(f"tile (out=...) - raw, same round: median {median_over:.2f} µs "
          f"(rounds: {', '.join(f'{d:.2f}' for d in over)}): {verdict} the target <= 3 µs")


if __name__ == "__main__":
    main()
