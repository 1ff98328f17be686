#!/usr/bin/env python3
"""The loops of a cubin's SASS and what they hold: for each backward branch,
the instructions between its target and itself, counted by opcode.

    scripts/sass-loops.py [--all] [--top N] CUBIN...

Runs `cuobjdump -sass` (the GPU machine has it; this machine's CUDA does not),
so the usual way is to compile here and read there:

    tile-compile grouped_gemm_i8 --param precision=native --emit cubin -o k.cubin
    (device) python3 scripts/sass-loops.py k.cubin

For each kernel it prints every loop that holds a tensor-core instruction
(IMMA, HMMA, HGMMA, IGMMA; with --all, every loop): its address range, its
length in instructions, the spill traffic (LDL/STL: issue 10 allows none in
a K loop), the tensor-core, shared-memory, copy and barrier instructions, and
the N most frequent opcodes (--top, default 12). A loop nested in another is
listed on its own and inside its parent's count. Exit status 1 when cuobjdump
is missing or fails, 2 on bad arguments.
"""
import argparse
import collections
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
    args = parser.parse_args()
    cuobjdump = shutil.which("cuobjdump") or "/usr/local/cuda/bin/cuobjdump"
    if not shutil.which(cuobjdump):
        print(f"sass-loops: cuobjdump not found ({cuobjdump}); run this on "
              "the GPU machine", file=sys.stderr)
        return 1
    status = 0
    for path in args.cubins:
        run = subprocess.run([cuobjdump, "-sass", path], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"sass-loops: cuobjdump failed on {path}: {run.stderr.strip()}",
                  file=sys.stderr)
            status = 1
            continue
        for kernel, instrs in parse(run.stdout).items():
            shown = 0
            for start, end, body in loops(instrs):
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
    return status


if __name__ == "__main__":
    sys.exit(main())
