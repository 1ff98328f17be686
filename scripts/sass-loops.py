#!/usr/bin/env python3
"""The loops of a cubin's SASS and what they hold: for each backward branch,
the instructions between its target and itself, counted by opcode.

    scripts/sass-loops.py [--all] [--top N] [--require-no-spills] CUBIN...

Runs `cuobjdump -sass`: $TILE_CUOBJDUMP, else the one on PATH, else CUDA's
(/usr/local/cuda/bin; this machine's CUDA has none), else the one
scripts/setup.sh unpacks from NVIDIA's wheels into /opt/tile-tools (with
the nvdisasm it runs, beside it). So:

    tile-compile grouped_gemm_i8 --param precision=native --emit cubin -o k.cubin
    python3 scripts/sass-loops.py k.cubin

For each kernel it prints every loop that holds a tensor-core instruction
(IMMA, HMMA, HGMMA, IGMMA; with --all, every loop): its address range, its
length in instructions, the spill traffic (LDL/STL: issue 10 allows none in
a K loop), the tensor-core, shared-memory, copy and barrier instructions, and
the N most frequent opcodes (--top, default 12). A loop nested in another is
listed on its own and inside its parent's count.

--require-no-spills: exit with status 3, naming each, when a K loop (a
loop with tensor-core instructions and no such loop inside it) loads or
stores a spilled register (LDL/STL). Exit status 1 when cuobjdump is
missing or fails, 2 on bad arguments.
"""
import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys

KEY_OPCODES = ["LDL", "STL", "IMMA", "HMMA", "HGMMA", "IGMMA", "LDSM", "LDS",
               "STS", "LDGSTS", "LDG", "STG", "BAR", "I2F", "F2I"]
TENSOR_CORE = {"IMMA", "HMMA", "HGMMA", "IGMMA"}

# `/*0a10*/   @!P1 IMMA.16832.S8.S8 R72, ... ;`
INSTR = re.compile(r"\s*/\*([0-9a-f]{4,})\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)(\.[A-Z0-9_.]*)?\s*([^;]*);")
FUNCTION = re.compile(r"\s*Function\s*:\s*(\S+)")
TARGET = re.compile(r"0x([0-9a-f]+)")


def parse(sass):
    """{kernel: [(address, opcode, operands)]} in address order."""
    kernels, current = {}, None
    for line in sass.splitlines():
        m = FUNCTION.match(line)
        if m:
            current = kernels.setdefault(m.group(1), [])
            continue
        m = INSTR.match(line)
        if m and current is not None:
            current.append((int(m.group(1), 16), m.group(2), m.group(4)))
    return kernels


def loops(instrs):
    """(start, end, body) for each backward BRA: its target up to itself."""
    found = []
    for i, (address, opcode, operands) in enumerate(instrs):
        if opcode != "BRA":
            continue
        m = TARGET.search(operands)
        if not m:
            continue
        target = int(m.group(1), 16)
        if target > address:
            continue
        body = [x for x in instrs[: i + 1] if x[0] >= target]
        found.append((target, address, body))
    return found


def find_cuobjdump():
    """The cuobjdump to run, or None (the search the docstring gives)."""
    candidates = [os.environ.get("TILE_CUOBJDUMP"), shutil.which("cuobjdump"),
                  "/usr/local/cuda/bin/cuobjdump"]
    candidates += sorted(glob.glob("/opt/tile-tools/*/nvidia/*/bin/cuobjdump"))
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def k_loops(found):
    """The loops of `found` with tensor-core instructions and no such loop
    nested inside them."""
    with_mma = [(s, e, b) for s, e, b in found
                if TENSOR_CORE & {op for _, op, _ in b}]
    return [(s, e, b) for s, e, b in with_mma
            if not any((s2, e2) != (s, e) and s <= s2 and e2 <= e
                       for s2, e2, _ in with_mma)]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("cubins", nargs="+", metavar="CUBIN")
    parser.add_argument("--all", action="store_true",
                        help="list loops without tensor-core instructions too")
    parser.add_argument("--top", type=int, default=12, metavar="N",
                        help="how many of the most frequent opcodes to show")
    parser.add_argument("--require-no-spills", action="store_true",
                        help="exit 3 when a K loop (innermost loop with "
                             "tensor-core instructions) has LDL or STL")
    args = parser.parse_args()
    cuobjdump = find_cuobjdump()
    if not cuobjdump:
        print("sass-loops: cuobjdump not found ($TILE_CUOBJDUMP, PATH, "
              "/usr/local/cuda/bin, /opt/tile-tools: scripts/setup.sh "
              "unpacks one)", file=sys.stderr)
        return 1
    status = 0
    spilling = []
    for path in args.cubins:
        # cuobjdump runs nvdisasm, found beside it (NVIDIA's wheels) or on PATH.
        env = dict(os.environ, PATH=os.path.dirname(cuobjdump) + os.pathsep +
                   os.environ.get("PATH", ""))
        run = subprocess.run([cuobjdump, "-sass", path], capture_output=True,
                             text=True, env=env)
        if run.returncode != 0:
            print(f"sass-loops: cuobjdump failed on {path}: {run.stderr.strip()}",
                  file=sys.stderr)
            status = 1
            continue
        for kernel, instrs in parse(run.stdout).items():
            shown = 0
            found = loops(instrs)
            for start, end, body in k_loops(found):
                mix = collections.Counter(opcode for _, opcode, _ in body)
                if mix["LDL"] or mix["STL"]:
                    spilling.append(f"{path}: {kernel}: K loop 0x{start:x}-0x{end:x} "
                                    f"has LDL {mix['LDL']} STL {mix['STL']}")
            for start, end, body in found:
                mix = collections.Counter(opcode for _, opcode, _ in body)
                if not args.all and not TENSOR_CORE & set(mix):
                    continue
                shown += 1
                key = " ".join(f"{op} {mix[op]}" for op in KEY_OPCODES if mix[op])
                top = ", ".join(f"{op} {n}" for op, n in mix.most_common(args.top))
                print(f"{path}: {kernel}: loop 0x{start:x}-0x{end:x}, "
                      f"{len(body)} instructions; LDL {mix['LDL']} STL {mix['STL']}; "
                      f"{key}\n    most frequent: {top}")
            if not shown:
                print(f"{path}: {kernel}: no loop"
                      + ("" if args.all else " with tensor-core instructions"))
    if args.require_no_spills and spilling:
        for line in spilling:
            print(f"sass-loops: spills in a K loop: {line}", file=sys.stderr)
        return max(status, 3)
    return status


if __name__ == "__main__":
    sys.exit(main())
