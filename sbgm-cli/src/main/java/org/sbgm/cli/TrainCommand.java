package org.sbgm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sbgm.cli.config.ConfigFiles;
import org.sbgm.cli.config.FileDataSpec;
import org.sbgm.cli.config.RunConfig;
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
        "  sbgm train --config configs/moons-mlp.yaml --out runs/moons --resume --steps 20000"})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The configuration (see configs/).")
  Path config;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model directory to write (new or empty).")
  Path out;

  @Option(names = "--resume", description = "Continue the training in DIR from its checkpoint.pt.")
  boolean resume;

  @Option(names = "--steps", paramLabel = "N", description = "Train to N steps in total (overrides training.steps).")
  Long steps;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (steps != null && steps < 1) {
      throw new UserError("--steps must be at least 1, got " + steps);
    }
    RunConfig run = ConfigFiles.readRunConfig(config);
    Path base = config.toAbsolutePath().getParent();
    if (run.data() instanceof FileDataSpec f) {
      run = run.withData(f.resolvedAgainst(base));
    }
    if (steps != null) {
      run = run.withTraining(run.training().withSteps(steps));
    }
    if (common.hasSeed()) {
      run = run.withTraining(run.training().withSeed(common.seedOr(0)));
    }
    if (resume) {
      if (!Files.isDirectory(out)) {
        throw new UserError("cannot resume: model directory '" + out + "' does not exist");
      }
    } else {
      Outputs.directory("--out", out, false, "choose a new directory, or add --resume to continue its training");
    }
    var device = common.apply();
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    TrainingRun.Outcome o = TrainingRun.run(run, out, resume, device, progress);
    spec.commandLine().getOut().println(String.format(Locale.ROOT, "step=%d loss=%.5f val_loss=%s seconds=%.1f model=%s",
        o.result().steps(), o.result().lastLoss(),
        Double.isNaN(o.result().lastValidationLoss()) ? "none" : String.format(Locale.ROOT, "%.5f", o.result().lastValidationLoss()),
        o.seconds(), out));
    return 0;
  }
}
