#!/usr/bin/env bash
# Kills `sbgm train` with SIGKILL at K random moments, resumes it each time, and checks that the final
# model is bit-identical to an uninterrupted run (one thread): weights.pt (the EMA weights, which depend on
# every step's weights) and metrics.csv (every step's loss and learning rate, every validation loss), byte
# for byte, and the resumed directory verifies against its manifest. (checkpoint.pt holds the same state but
# not the same bytes across processes: libtorch keys AdamW's state by tensor addresses.) Three tiny configurations: an MLP, a residual MLP with
# dropout, and a U-Net with dropout and condition dropout on Gaussian random fields.
#
#   scripts/kill-resume.sh [-k KILLS] [-s STEP_SCALE] [-r SEED] [-o OUT] [-c mlp,residual,unet]
#
# KILLS per configuration (default 20; an attempt that finishes before its kill does not count, at most
# 3 KILLS attempts); STEP_SCALE multiplies the training steps (default 1; CI uses less);
# SEED draws the kill moments (default: random, printed); OUT keeps the runs (default: a temporary folder,
# removed on success). Each attempt is killed after a time drawn uniformly from zero to its start-up and
# final save (timed as a resume of the finished run) plus twice the remaining training's share per kill
# still to come (of the uninterrupted run's training time), so the kills are spread over the training and
# land during start-up, before the first checkpoint, between and during checkpoint writes, and (once the
# training is complete) while the finished directory is sealed again. SBGM overrides the command (default: the jars under
# sbgm-cli/target, else ./sbgm). Prints one line per kill, a summary line per configuration and
# `kills_survived=N/N identical=yes` at the end; exits 1 on any difference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills=20
scale=1
seed=""
out=""
configs="mlp,residual,unet"
while getopts "k:s:r:o:c:" opt; do
  case "$opt" in
    k) kills="$OPTARG" ;;
    s) scale="$OPTARG" ;;
    r) seed="$OPTARG" ;;
    o) out="$OPTARG" ;;
    c) configs="$OPTARG" ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
seed="${seed:-$RANDOM}"
RANDOM="$seed"
if [ -n "${SBGM:-}" ]; then
  read -r -a sbgm <<< "$SBGM"
elif [ -f "$root/sbgm-cli/target/sbgm-cli-0.1.0-SNAPSHOT.jar" ]; then
  sbgm=(java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xss4m -XX:-UsePerfData
        -cp "$root/sbgm-cli/target/sbgm-cli-0.1.0-SNAPSHOT.jar:$root/sbgm-cli/target/lib/*" org.sbgm.cli.Main)
else
  sbgm=("$root/sbgm")
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
keep=1
if [ -z "$out" ]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/kill-resume.XXXXXX")"
  keep=0
fi
mkdir -p "$out"
echo "kill-resume: kills=$kills per configuration, step scale $scale, seed $seed, runs in $out"

steps_of() { awk -v s="$1" -v f="$scale" 'BEGIN { n = int(s * f + 0.5); print (n < 4 ? 4 : n) }'; }

write_config() { # name steps checkpointEvery
  local name="$1" steps="$2" every="$3" file="$out/$1.yaml"
  case "$name" in
    mlp) cat > "$file" <<YAML
data: {source: toy, name: eight-gaussians, n: 2000, seed: 1, validation: 0.1}
network: {type: mlp, width: 64, depth: 2, timeEmbedding: {kind: fourier, dim: 16, scale: 4}}
training: {steps: $steps, batchSize: 128, lr: 2e-3, warmupSteps: 10, validateEvery: $every, checkpointEvery: $every, seed: 3}
YAML
    ;;
    residual) cat > "$file" <<YAML
data: {source: toy, name: moons, n: 2000, seed: 2, validation: 0.1}
network: {type: residual-mlp, width: 64, depth: 2, dropout: 0.2, timeEmbedding: {kind: fourier, dim: 16, scale: 4}}
training: {steps: $steps, batchSize: 128, lr: 2e-3, warmupSteps: 10, validateEvery: $every, checkpointEvery: $every, seed: 5}
YAML
    ;;
    unet) cat > "$file" <<YAML
data: {source: grf, size: 8, n: 400, seed: 0, validation: 0.1}
network: {type: unet, baseChannels: 8, channelMultipliers: [1, 2], groups: 4, middleAttention: false, dropout: 0.1, conditionDropout: 0.25}
training: {steps: $steps, batchSize: 16, lr: 1e-3, warmupSteps: 5, validateEvery: $every, checkpointEvery: $every, seed: 7}
YAML
    ;;
    *) echo "kill-resume: unknown configuration '$name' (expected mlp, residual, unet)" >&2; exit 2 ;;
  esac
  echo "$file"
}

now() { date +%s.%N; }
train() { # config dir log [extra...]
  local config="$1" dir="$2" log="$3"
  shift 3
  local resume=()
  if [ -f "$dir/checkpoint.pt" ]; then resume=(--resume); fi
  "${sbgm[@]}" train --config "$config" --out "$dir" "${resume[@]}" --threads 1 --quiet "$@" >> "$log" 2>&1
}
last_step() { # the step of the newest metrics row written with a checkpoint, or "none"
  if [ -f "$1/metrics.csv" ]; then tail -n 1 "$1/metrics.csv" | cut -d, -f1 | grep -E '^[0-9]+$' || echo none; else echo none; fi
}

total_kills=0
total_ok=0
failed=0
IFS=',' read -r -a names <<< "$configs"
for name in "${names[@]}"; do
  case "$name" in
    mlp|residual) steps=$(steps_of 1500) ;;
    unet) steps=$(steps_of 120) ;;
    *) steps=0 ;;
  esac
  every=$(( steps / 10 > 1 ? steps / 10 : 1 ))
  config=$(write_config "$name" "$steps" "$every")
  ref="$out/$name-straight"
  run="$out/$name-killed"
  rm -rf "$ref" "$run"
  t0=$(now)
  train "$config" "$ref" "$out/$name-straight.log"
  span=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  cp -r "$ref" "$ref-again"
  t0=$(now)
  train "$config" "$ref-again" "$out/$name-straight.log"
  fixed=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  rm -rf "$ref-again"
  echo "$name: uninterrupted run of $steps steps (checkpoint every $every) took ${span}s, start-up and final save ${fixed}s"
  done_kills=0
  declare -A where=([start-up]=0 [training]=0 [final-save]=0)
  k=0
  while [ "$done_kills" -lt "$kills" ] && [ "$k" -lt $((3 * kills)) ]; do
    k=$((k + 1))
    step=$(last_step "$run")
    left=$(awk -v s="$step" -v n="$steps" 'BEGIN { print (s == "none" ? 1 : 1 - s / n) }')
    share=$((kills - done_kills + 1))
    delay=$(awk -v r="$RANDOM" -v f="$fixed" -v t="$span" -v l="$left" -v n="$share" \
      'BEGIN { w = t - f; if (w < 0) w = 0; printf "%.3f", (r / 32768) * (f + 2 * w * l / n) }')
    before=$(last_step "$run")
    "${sbgm[@]}" train --config "$config" --out "$run" $([ -f "$run/checkpoint.pt" ] && echo --resume) \
      --threads 1 --quiet >> "$out/$name-killed.log" 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      done_kills=$((done_kills + 1))
      after=$(last_step "$run")
      if [ "$before" = "$steps" ]; then phase=final-save      # training was complete: the files are being sealed again
      elif [ "$after" != "$before" ]; then phase=training     # killed after writing at least one new checkpoint
      else phase=start-up; fi                                 # killed before it wrote a new checkpoint
      where[$phase]=$((where[$phase] + 1))
      echo "$name: attempt $k killed at ${delay}s ($phase): checkpoint step $before -> $after"
    else
      wait "$pid" || { echo "$name: run $k failed (see $out/$name-killed.log)"; failed=1; }
      echo "$name: attempt $k finished before its kill at ${delay}s (step $(last_step "$run")); another attempt"
    fi
  done
  train "$config" "$run" "$out/$name-killed.log"
  same=yes
  for f in weights.pt metrics.csv; do
    if ! cmp -s "$ref/$f" "$run/$f"; then
      same=no
      echo "$name: $f differs between $ref and $run"
    fi
  done
  if ! (cd "$run" && sha256sum --quiet -c manifest.sha256); then
    same=no
    echo "$name: $run does not verify against its manifest"
  fi
  echo "config=$name steps=$steps kills=$done_kills identical=$same (killed during start-up or before a new checkpoint: ${where[start-up]}, after new checkpoints: ${where[training]}, while resealing a finished run: ${where[final-save]})"
  total_kills=$((total_kills + done_kills))
  if [ "$same" = yes ]; then total_ok=$((total_ok + done_kills)); else failed=1; fi
done
verdict=$([ "$failed" = 0 ] && echo yes || echo no)
echo "kills_survived=$total_ok/$total_kills identical=$verdict seed=$seed"
if [ "$failed" = 0 ] && [ "$keep" = 0 ]; then rm -rf "$out"; fi
exit "$failed"
