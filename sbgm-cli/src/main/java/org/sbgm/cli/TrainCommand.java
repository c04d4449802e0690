package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sbgm.model.ModelDirectory;
import org.sbgm.model.TrainedModel;
import org.sbgm.model.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm train}: trains a score model from a YAML configuration into a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a score-based model from a YAML (or JSON) configuration and write the model directory: "
        + "model.yaml, weights.pt (EMA weights), checkpoint.pt, metrics.csv, loss.png and manifest.sha256."},
    footer = {"", "Examples:", "  sbgm train --config configs/moons-mlp.yaml --out runs/moons",
        "  sbgm train --config configs/moons-mlp.yaml --out runs/moons --resume --steps 20000",
        "  sbgm train --config configs/moons-mlp.yaml --out runs/moons --nproc 2",
        "  torchrun-style: RANK=0 WORLD_SIZE=2 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 sbgm train ...",
        "  srun -N 2 --ntasks-per-node 1 sbgm train --config ... --out ... --master node1:29500"})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The configuration (see configs/).")
  Path config;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model directory to write (new or empty).")
  Path out;

  @Option(names = "--resume", description = "Continue the training in DIR from its checkpoint.pt.")
  boolean resume;

  @Option(names = "--steps", paramLabel = "N", description = "Train to N steps in total (overrides training.steps).")
  Long steps;

  @Option(names = "--precision", paramLabel = "P", description = "fp32, bf16 or bf16-emulated: bfloat16 autocast "
      + "of the forward pass and loss, float32 weights, gradients and AdamW (overrides training.precision; bf16 "
      + "falls back to fp32 with a warning where the CPU has no native bfloat16, bf16-emulated runs bfloat16 "
      + "there anyway, slowly, to check how a bf16 run trains).")
  String precision;

  @Mixin CommonOptions common;

  @Mixin DistributedOptions dist;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Outputs.atLeast("--steps", steps, 1);
    Training training = Training.fromFile(config);
    if (steps != null) {
      training.steps(steps);
    }
    if (precision != null) {
      training.precision(precision);
    }
    if (common.hasSeed()) {
      training.seed(common.seedOr(0));
    }
    if (dist.nproc != null) {
      ModelDirectory.checkTarget(out, resume); // once, before the ranks start
    }
    DistributedOptions.Start start = dist.start(spec, common);
    if (start instanceof DistributedOptions.Launched launched) {
      return launched.exitCode();
    }
    try (DistributedOptions.Rank rank = (DistributedOptions.Rank) start) {
      if (rank.isRoot()) {
        ModelDirectory.checkTarget(out, resume); // only rank 0 writes; the others may find its first files
      }
      training.device(rank.device()).group(rank.group());
      TrainedModel o = TrainingProgress.run(training, out, resume,
          new Progress(spec.commandLine().getErr(), common.quiet() || !rank.isRoot()));
      rank.finished();
      if (rank.isRoot()) {
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
            "step=%d loss=%.5f val_loss=%s seconds=%.1f ranks=%d collective_seconds=%.2f model=%s",
            o.result().steps(), o.result().lastLoss(),
            Double.isNaN(o.result().lastValidationLoss()) ? "none"
                : String.format(Locale.ROOT, "%.5f", o.result().lastValidationLoss()),
            o.seconds(), rank.group().worldSize(), rank.group().collectiveSeconds(), out));
      }
    }
    return 0;
  }
}
