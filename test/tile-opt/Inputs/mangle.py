#!/usr/bin/env python3
"""Feeds tile-opt truncated, mutated and random inputs; fails if it ever dies.

Every input must end with exit status 0 (it happened to parse and verify) or 1
(a diagnostic), never a signal, another status or a hang. The inputs derive
from the given seed files with a fixed random seed, so a failure reproduces;
the offending input is written next to the report.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

TOKENS = [b"tile.load", b"tile.store", b"tile.reduce", b"tile.dot", b"tensor<",
          b"!tile.ptr<", b"x", b">", b"<", b"{", b"}", b"(", b")", b":", b",",
          b"%0", b"^bb0", b"axis = ", b"-1", b"0", b"65536", b"f8E4M3FN", b"i1",
          b"cache = ", b"rounding = ", b"\x00", b"\xff", b"\"", b"->", b"@f"]


def variants(text, rng, count):
    """Yields (label, bytes) inputs derived from `text`."""
    n = len(text)
    for i in range(count):
        cut = rng.randrange(n) if n else 0
        yield f"truncate@{cut}", text[:cut]
    for i in range(count):
        data = bytearray(text)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data) + 1)
            op = rng.randrange(3)
            if op == 0 and len(data) > pos:
                del data[pos:pos + rng.randint(1, 16)]
            elif op == 1:
                data[pos:pos] = rng.choice(TOKENS)
            elif len(data) > pos:
                data[pos] = rng.randrange(256)
        yield f"mutate#{i}", bytes(data)
    for i in range(count // 4):
        yield f"garbage#{i}", bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tile-opt", required=True)
    parser.add_argument("--count", type=int, default=24,
                        help="truncations and mutations per seed file")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--passes", default="-canonicalize -tile-combine -cse",
                        help="what tile-opt runs on each input")
    parser.add_argument("--out", default=tempfile.gettempdir(),
                        help="where a crashing input is written")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    runs = 0
    for path in args.files:
        with open(path, "rb") as f:
            text = f.read()
        for label, data in variants(text, rng, args.count):
            runs += 1
            try:
                proc = subprocess.run(
                    [args.tile_opt, "-"] + args.passes.split() + ["-o", os.devnull],
                    input=data, capture_output=True, timeout=60)
                status = proc.returncode
            except subprocess.TimeoutExpired:
                status = "timeout"
            if status not in (0, 1):
                dump = os.path.join(args.out, "tile-opt-crash.mlir")
                with open(dump, "wb") as f:
                    f.write(data)
                print(f"FAIL: tile-opt exited with {status} on {label} of {path}; "
                      f"input written to {dump}")
                if status != "timeout":
                    sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
                return 1
    print(f"ok: {runs} mangled inputs, no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
