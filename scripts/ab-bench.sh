#!/usr/bin/env bash
# Runs tile-bench from several GPU bundles on the GPU machine, alternating
# them, so that each is measured against the others in the same lease.
#
#   scripts/ab-bench.sh FILTER BUNDLE_DIR... [-- TILE-BENCH ARGS]
#
# ROUNDS (default 2) rounds of every bundle in turn; each run's log is
# $OUT/ab/<bundle>-<round>.txt (OUT default ./ab-out), and $OUT/ab/summary.txt
# puts every case's figure side by side, one column a bundle and round.
# CASE_TIMEOUT (seconds, default 120) bounds one tile-bench run.
set -uo pipefail
# The comment above, from the line after the shebang to the first line
# that is not a comment.
usage() { sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; }
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
esac
if [ $# -lt 2 ]; then
  usage >&2; exit 2
fi
filter="$1"; shift
bundles=(); extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; extra=("$@"); break; fi
  [ -x "$1/tile-bench" ] || { echo "ab-bench: $1/tile-bench not found" >&2; exit 2; }
  bundles+=("$1"); shift
done
out="${OUT:-./ab-out}/ab"; mkdir -p "$out"
rounds="${ROUNDS:-2}"; limit="${CASE_TIMEOUT:-120}"
status=0
for r in $(seq 1 "$rounds"); do
  for b in "${bundles[@]}"; do
    n="$(basename "$b")"
    s=$(date +%s)
    timeout "$limit" "$b/tile-bench" --filter "$filter" "${extra[@]}" > "$out/$n-$r.txt" 2>&1
    rc=$?
    echo "ab-bench: $n round $r rc=$rc $(( $(date +%s) - s )) s"
    [ $rc -eq 0 ] || status=1
  done
done
# One line a case: its name, then the figure before its unit in each run.
python3 - "$out" "$rounds" "${bundles[@]}" > "$out/summary.txt" <<'PY'
import re, sys, os
out, rounds, bundles = sys.argv[1], int(sys.argv[2]), [os.path.basename(b) for b in sys.argv[3:]]
cols, rows = [], {}
for r in range(1, rounds + 1):
    for b in bundles:
        col = f"{b}-{r}"; cols.append(col)
        try:
            lines = open(os.path.join(out, col + ".txt")).read().splitlines()
        except OSError:
            continue
        for line in lines:
            m = re.match(r"^(\S.*?)\s{2,}([0-9.]+) us\s+([0-9.]+) (\S+)", line)
            if m:
                value = m.group(2) + " us, " + m.group(3) + " " + m.group(4)
                pct = re.search(r"([0-9.]+)% of copy", line)
                if pct:
                    value += ", " + pct.group(1) + "%"
                rows.setdefault(m.group(1), {})[col] = value
print("case\t" + "\t".join(cols))
for case, vals in rows.items():
    print(case + "\t" + "\t".join(vals.get(c, "-") for c in cols))
PY
cat "$out/summary.txt"
exit $status
