#!/usr/bin/env python3
"""cuBLAS (through PyTorch) on the GEMM cases of tile-bench's gemm and moe groups.

Run on the GPU machine next to `tile-bench --filter gemm` in the same call:
    python3 bench/peers/gemm_peers.py [--json FILE]
Prints one line per case: median microseconds over CUDA-event timings and
TFLOP/s (2 M N K per product), as tile-bench reports them.
"""
import argparse
import json

import torch


def time_us(fn, reps=50, warmup=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) * 1000.0)
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    results = []
    for n in (4096, 8192):
        a = torch.randint(-3, 4, (n, n), device="cuda").to(torch.float16)
        b = torch.randint(-3, 4, (n, n), device="cuda").to(torch.float16)
        # cuBLAS's fp16 GEMM (fp32 accumulation, f16 output: its own type).
        us16 = time_us(lambda: torch.mm(a, b))
        results.append(("cuBLAS fp16 mm (f16 out)", n, us16))
        ai = torch.randint(-128, 128, (n, n), device="cuda", dtype=torch.int8)
        bi = torch.randint(-128, 128, (n, n), device="cuda", dtype=torch.int8)
        usi = time_us(lambda: torch._int_mm(ai, bi.t().contiguous().t()))
        results.append(("cuBLAS int8 _int_mm (i32 out)", n, usi))
    for name, n, us in results:
        tflops = 2.0 * n * n * n / (us * 1e-6) / 1e12
        print(f"{name:34s} {n}^3  {us:10.1f} us  {tflops:7.1f} TFLOP/s")
    # tile-bench's moe group: E = 16 experts x 512 rows, N = 4096, K = 7168
    # (KERNELS.md's grouped GEMM shape), as the same FLOPs in cuBLAS: a
    # batched fp16 GEMM, and one dense int8 GEMM over all 8192 rows.
    E, rows, N, K = 16, 512, 4096, 7168
    grouped = []
    a3 = torch.randint(-3, 4, (E, rows, K), device="cuda").to(torch.float16)
    b3 = torch.randint(-3, 4, (E, K, N), device="cuda").to(torch.float16)
    grouped.append(("cuBLAS fp16 bmm (grouped shape)",
                    time_us(lambda: torch.bmm(a3, b3))))
    ai = torch.randint(-128, 128, (E * rows, K), device="cuda", dtype=torch.int8)
    bi = torch.randint(-128, 128, (N, K), device="cuda", dtype=torch.int8)
    grouped.append(("cuBLAS int8 _int_mm (grouped FLOPs)",
                    time_us(lambda: torch._int_mm(ai, bi.t()))))
    for name, us in grouped:
        tflops = 2.0 * E * rows * N * K / (us * 1e-6) / 1e12
        print(f"{name:34s} E{E}x{rows} N{N} K{K}  {us:10.1f} us  {tflops:7.1f} TFLOP/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"name": name, "n": n, "us": us} for name, n, us in results] +
                      [{"name": name, "shape": [E, rows, N, K], "us": us}
                       for name, us in grouped],
                      f, indent=1)


if __name__ == "__main__":
    main()
