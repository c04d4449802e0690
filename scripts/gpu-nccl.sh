#!/usr/bin/env bash
# Data-parallel training on one GPU machine over NCCL: steps/s and allreduce seconds per step of
# `sbgm train` with 1 GPU and with N GPUs (--nproc N: rank r on cuda:r), for configs/grf-unet.yaml
# (or the configuration given). Not used by the tests; run it the day a GPU machine is lent.
#
#   scripts/gpu-nccl.sh [-c CONFIG] [-n NGPUS] [-a STEPS_A] [-b STEPS_B] [-o OUTDIR]
#
# Needs a build whose class path holds libtorch's CUDA natives (JavaCPP classifier linux-x86_64-gpu) and
# `sbgm train --device cuda` working on one GPU first; set SBGM to the command (default ./sbgm). Each
# figure comes from two runs of A and B steps: (B - A) / (seconds_B - seconds_A), so start-up and data
# preparation cancel. Batches: the configuration's batchSize is the GLOBAL batch, split over the ranks;
# give a larger one (e.g. -B 512) to keep each GPU busy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$root/configs/grf-unet.yaml"; gpus=""; a=50; b=550; out="${TMPDIR:-/tmp}/sbgm-gpu-nccl"; batch=""
while getopts "c:n:a:b:o:B:" opt; do
  case "$opt" in
    c) config="$OPTARG" ;; n) gpus="$OPTARG" ;; a) a="$OPTARG" ;; b) b="$OPTARG" ;; o) out="$OPTARG" ;;
    B) batch="$OPTARG" ;;
    *) echo "usage: $0 [-c CONFIG] [-n NGPUS] [-a STEPS_A] [-b STEPS_B] [-o OUTDIR] [-B GLOBAL_BATCH]" >&2; exit 2 ;;
  esac
done
sbgm="${SBGM:-$root/sbgm}"
if [ -z "$gpus" ]; then
  gpus="$(nvidia-smi --list-gpus 2>/dev/null | wc -l)"
fi
if [ "$gpus" -lt 1 ]; then
  echo "gpu-nccl: no GPU found (nvidia-smi lists none); give -n N" >&2; exit 2
fi
mkdir -p "$out"
if [ -n "$batch" ]; then
  sed -E "s/^(  batchSize:).*/\1 $batch/" "$config" > "$out/config.yaml"; config="$out/config.yaml"
fi
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
measure() { # ranks
  local n=$1 sa sb ca cb
  for steps in "$a" "$b"; do
    rm -rf "$out/n$n-$steps"
    line=$($sbgm train --config "$config" --out "$out/n$n-$steps" --steps "$steps" --device cuda --nproc "$n" --quiet | tail -1)
    echo "  ranks=$n steps=$steps: $line" >&2
    if [ "$steps" = "$a" ]; then sa=$(echo "$line" | field seconds); ca=$(echo "$line" | field collective_seconds)
    else sb=$(echo "$line" | field seconds); cb=$(echo "$line" | field collective_seconds); fi
  done
  awk -v n="$n" -v a="$a" -v b="$b" -v sa="$sa" -v sb="$sb" -v ca="$ca" -v cb="$cb" \
    'BEGIN { printf "| %d | %.1f | %.2f |\n", n, (b - a) / (sb - sa), 1000 * (cb - ca) / (b - a) }'
}
echo "| GPUs (ranks) | steps/s | allreduce ms/step |"
echo "|---|---|---|"
measure 1
if [ "$gpus" -gt 1 ]; then
  measure "$gpus"
fi
