#!/usr/bin/env bash
# Times `sbgm bench` against a PyTorch script that prints the same lines (such as
# ../shared/peer/reference.py), interleaved in one run window: Java, PyTorch, Java, PyTorch, ...
# (at least 3 rounds, the same thread count for both), then prints one row per workload with the
# median over the rounds of each side's median, and their ratio Java/PyTorch (below 1: Java faster).
#
# Usage: bench/compare.sh REFERENCE.py [--threads N] [--rounds R] [--only NAME,...]
#
# This script installs nothing. It needs PyTorch with OpenBLAS for the reference, which you install:
#     apt-get install -y python3-torch libopenblas0-pthread
# and Java 17+ with Maven for sbgm (the `sbgm` launcher builds it on first use).
#
# Environment: PYTHON  the interpreter with torch (default /usr/bin/python3 if present, else python3);
#              SBGM    the sbgm command (default: the `sbgm` launcher at the repository root);
#              OMP_WAIT_POLICY  exported to both sides (default PASSIVE, as the launcher sets it).
# Each line both sides print is `NAME <tab> median ms <tab> params=N <tab> note`; lines of one side only
# (such as sbgm's sgemm-2048 calibration) are listed after the table. Raw outputs stay in a temporary
# directory whose path is printed at the end.
set -euo pipefail

usage() {
  echo "usage: bench/compare.sh REFERENCE.py [--threads N] [--rounds R] [--only NAME,...]" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
[ $# -ge 1 ] || usage
reference="$1"
shift
threads=1
rounds=3
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) [ $# -ge 2 ] || usage; threads="$2"; shift 2 ;;
    --rounds) [ $# -ge 2 ] || usage; rounds="$2"; shift 2 ;;
    --only) [ $# -ge 2 ] || usage; only="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option '$1'" >&2; usage ;;
  esac
done
case "$threads" in ''|*[!0-9]*|0) echo "compare.sh: --threads must be a positive integer, got '$threads'" >&2; exit 2 ;; esac
case "$rounds" in ''|*[!0-9]*) echo "compare.sh: --rounds must be an integer of at least 3, got '$rounds'" >&2; exit 2 ;; esac
if [ "$rounds" -lt 3 ]; then
  echo "compare.sh: --rounds must be at least 3 (medians of interleaved rounds), got $rounds" >&2
  exit 2
fi
if [ ! -f "$reference" ]; then
  echo "compare.sh: the reference script '$reference' does not exist" >&2
  exit 2
fi

if [ -z "${PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
  echo "compare.sh: PyTorch is not available to $PYTHON; install it first (this script installs nothing):" >&2
  echo "    apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 3
fi
SBGM="${SBGM:-$root/sbgm}"
# Both sides wait on their OpenMP threads the same way (the sbgm launcher's default, PASSIVE, unless exported).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

extra=()
if [ -n "$only" ]; then extra=(--only "$only"); fi
out="$(mktemp -d "${TMPDIR:-/tmp}/sbgm-compare.XXXXXX")"
for r in $(seq 1 "$rounds"); do
  echo "compare.sh: round $r/$rounds: sbgm bench --threads $threads ${extra[*]}" >&2
  $SBGM bench --threads "$threads" "${extra[@]}" >"$out/java.$r"
  echo "compare.sh: round $r/$rounds: $reference --threads $threads ${extra[*]}" >&2
  "$PYTHON" "$reference" --threads "$threads" "${extra[@]}" >"$out/torch.$r"
done

status=0
# One record per line read: side, name, ms, third field (params=N or another figure).
for r in $(seq 1 "$rounds"); do
  awk -F'\t' -v side=java 'NF >= 3 && $2 ~ /^[0-9.]+$/ {print side "\t" $1 "\t" $2 "\t" $3 "\t" $4}' "$out/java.$r"
  awk -F'\t' -v side=torch 'NF >= 3 && $2 ~ /^[0-9.]+$/ {print side "\t" $1 "\t" $2 "\t" $3 "\t" $4}' "$out/torch.$r"
done | awk -F'\t' -v rounds="$rounds" -v threads="$threads" '
  function median(list,    n, v, i, j, x) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) { x = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    return n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  {
    key = $1 SUBSEP $2
    if (!(key in vals)) { vals[key] = $3 } else { vals[key] = vals[key] " " $3 }
    third[key] = $4
    if (match($5, /[0-9.]+ GFLOP\/step/)) flops[$2] = substr($5, RSTART, RLENGTH) + 0
    if (!($2 in seen)) { seen[$2] = 1; order[++names] = $2 }
  }
  END {
    printf "threads=%d rounds=%d (medians over rounds of each run'"'"'s median)\n", threads, rounds
    printf "%-24s %12s %12s %7s  %s\n", "workload", "java_ms", "pytorch_ms", "ratio", "params java/pytorch"
    mismatch = 0
    for (i = 1; i <= names; i++) {
      n = order[i]; j = "java" SUBSEP n; t = "torch" SUBSEP n
      if (!(j in vals) || !(t in vals)) continue
      jm = median(vals[j]); tm = median(vals[t])
      pj = third[j]; sub(/^params=/, "", pj); pt = third[t]; sub(/^params=/, "", pt)
      flag = ""
      if (pj + 0 > 0 && pt + 0 > 0 && (pj - pt > 0.01 * pt || pt - pj > 0.01 * pt)) { flag = "  PARAMETER COUNTS DIFFER BY MORE THAN 1%"; mismatch = 1 }
      printf "%-24s %12.3f %12.3f %7.3f  %s/%s%s\n", n, jm, tm, (tm > 0 ? jm / tm : 0), pj, pt, flag
    }
    for (i = 1; i <= names; i++) {
      n = order[i]; j = "java" SUBSEP n; t = "torch" SUBSEP n
      if ((j in vals) && !(t in vals)) printf "%-24s %12.3f %12s %7s  %s (sbgm only)\n", n, median(vals[j]), "-", "-", third[j]
      if (!(j in vals) && (t in vals)) printf "%-24s %12s %12.3f %7s  %s (reference only)\n", n, "-", median(vals[t]), "-", third[t]
    }
    for (i = 1; i <= names; i++) {
      n = order[i]
      if (!(n in flops)) continue
      line = sprintf("%s: %.2f GFLOP per step (counted by sbgm); achieved", n, flops[n])
      if (("java" SUBSEP n) in vals) line = line sprintf(" java %.1f GFLOP/s", flops[n] * 1000 / median(vals["java" SUBSEP n]))
      if (("torch" SUBSEP n) in vals) line = line sprintf(", pytorch %.1f GFLOP/s", flops[n] * 1000 / median(vals["torch" SUBSEP n]))
      for (k = 1; k <= names; k++) {
        m = order[k]; g = "java" SUBSEP m
        if (m ~ /^sgemm-/ && (g in vals)) {
          split(m, parts, "-"); size = parts[2] + 0
          line = line sprintf("; %s median %.1f GFLOP/s", m, 2 * size * size * size / (median(vals[g]) * 1e6))
        }
      }
      print line
    }
    exit mismatch
  }' || status=$?
echo "compare.sh: raw outputs in $out" >&2
exit $status
