#!/usr/bin/env bash
# Resident memory over a long run in one JVM: 20,000 training steps of the demo's MLP (a checkpoint every
# 1,000), then 1,000 sample and 1,000 log-likelihood calls of the trained model, RSS sampled every 1,000
# steps and every 50 calls (org.sbgm.bench.MemorySoak). Writes docs/long-run-rss.csv and the figure
# docs/long-run-rss.png, and prints the growth after warm-up (the first tenth of each phase) per phase.
#
#   scripts/long-run-rss.sh [STEPS [CALLS]]
#
# The heap is fixed and pre-touched (-Xms = -Xmx, AlwaysPreTouch) so that it does not grow into the
# figure; native memory (libtorch) is what is measured. Needs the build (mvn -B -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-20000}"
calls="${2:-1000}"
jar="$root/sbgm-cli/target/sbgm-cli-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ]; then
  echo "long-run-rss: build first: mvn -B -DskipTests package" >&2
  exit 2
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xss4m \
  -cp "$jar:$root/sbgm-cli/target/lib/*" org.sbgm.cli.bench.MemorySoakRun --steps "$steps" --every $((steps / 20)) \
  --calls "$calls" --call-every $((calls / 20)) --csv "$root/docs/long-run-rss.csv" --png "$root/docs/long-run-rss.png"
