package org.sbgm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.cli.config.DataSpec;
import org.sbgm.cli.config.FileDataSpec;
import org.sbgm.cli.config.GrfDataSpec;
import org.sbgm.cli.config.RunConfig;
import org.sbgm.cli.data.DataSources;
import org.sbgm.cli.data.LoadedData;
import org.sbgm.cli.data.PreparedData;
import org.sbgm.cli.model.ModelDirectory;
import org.sbgm.cli.model.ModelSpec;
import org.sbgm.cli.model.Provenance;
import org.sbgm.cli.plot.LossPlot;
import org.sbgm.nn.Network;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.Networks;
import org.sbgm.score.Condition;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;
import org.sbgm.train.Checkpoint;
import org.sbgm.train.Trainer;
import org.sbgm.train.TrainerConfig;
import org.sbgm.train.TrainingListener;
import org.sbgm.train.TrainingResult;

/**
 * One training run from a configuration into a model directory, shared by {@code sbgm train} and
 * {@code sbgm demo}: everything is built and checked (data, transform, network, a trial forward pass)
 * before the first step; then the trainer runs with a progress bar and metrics; finally the metrics
 * ({@code metrics.csv}), the loss curve ({@code loss.png}) and the model (weights, {@code model.yaml},
 * manifest last) are written.
 */
final class TrainingRun {
  /** The library version recorded in model provenance. */
  static final String VERSION = "0.1.0";

  private TrainingRun() {}

  /** The outcome: the model written, its training data (transformed) and the run's wall time. */
  record Outcome(ModelSpec spec, Network network, ScoreModel score, PreparedData data, TrainingResult result,
      double seconds) {}

  /**
   * Trains {@code config} into {@code dir}; {@code resume} continues from {@code dir/checkpoint.pt}.
   * The directory must already have been checked by the caller (empty or resumable).
   */
  static Outcome run(RunConfig config, Path dir, boolean resume, org.bytedeco.pytorch.Device device, Progress progress)
      throws IOException {
    long start = System.nanoTime();
    long seed = config.training().seed();
    TrainerConfig trainerConfig = config.training().toCore();
    if (trainerConfig.validateEvery() > 0 && config.data().validation() == 0) {
      throw new UserError("training.validateEvery is " + trainerConfig.validateEvery()
          + ", but data.validation is 0 so no samples are held out; set data.validation > 0 or validateEvery: 0");
    }
    Path checkpoint = dir.resolve(Checkpoint.FILE_NAME);
    if (resume && !Files.isRegularFile(checkpoint)) {
      throw new UserError("cannot resume: '" + dir + "' has no " + Checkpoint.FILE_NAME);
    }
    LoadedData loaded = DataSources.load(config.data());
    PreparedData data = PreparedData.of(loaded, config.data().validation(), config.data().transform(), seed);
    NetworkConfig networkConfig;
    try {
      networkConfig = config.network().toCore(data.sampleShape(), data.conditionDim());
    } catch (IllegalArgumentException e) {
      throw new UserError("the network does not fit the data: " + e.getMessage(), e);
    }
    Network network = networkConfig.create(seed);
    if (device != null && !device.is_cpu()) {
      network.module().to(device, false);
    }
    ScoreModel score = new ScoreModel(network, config.sde().create(), Parameterisation.parse(config.parameterisation()));
    trialForward(score, data);
    Trainer trainer = new Trainer(score, trainerConfig, data.training(), data.validation()).checkpointTo(dir);
    Metrics metrics = resume ? Metrics.read(dir.resolve("metrics.csv")) : new Metrics();
    if (resume) {
      try {
        trainer.resume(checkpoint);
      } catch (IllegalArgumentException | IOException e) {
        throw new UserError("cannot resume from '" + checkpoint + "': " + e.getMessage(), e);
      }
      metrics.truncateAfter(trainer.step());
    }
    Files.createDirectories(dir);
    ModelDirectory.invalidate(dir);
    trainer.addListener(metrics);
    long steps = trainerConfig.steps();
    TrainingResult result;
    try (Progress.Bar bar = progress.bar("train", steps, "steps")) {
      bar.stepTo(trainer.step());
      trainer.addListener(new TrainingListener() {
        private double mean = Double.NaN;
        private double validation = Double.NaN;

        @Override
        public void onStep(long step, double loss, double lr) {
          mean = Double.isNaN(mean) ? loss : 0.98 * mean + 0.02 * loss;
          if (step % 10 == 0 || step == steps) {
            bar.extra(String.format(Locale.ROOT, "loss %.4f%s", mean,
                Double.isNaN(validation) ? "" : String.format(Locale.ROOT, " val %.4f", validation)));
          }
          bar.stepTo(step);
        }

        @Override
        public void onValidation(long step, double loss) {
          validation = loss;
        }

        @Override
        public void onCheckpoint(long step, Path path) {
          try {
            metrics.write(dir.resolve("metrics.csv"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
      result = trainer.train();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.write(dir.resolve("metrics.csv"));
    LossPlot.write(metrics, lossTitle(config), dir.resolve("loss.png"));
    ModelSpec spec = new ModelSpec(ModelSpec.FORMAT, config.sde(), config.network(), config.parameterisation(),
        data.transform(), java.util.Arrays.stream(data.sampleShape()).boxed().toList(), data.conditionDim(),
        config.data() instanceof GrfDataSpec ? List.of("A", "B") : null, config.training().withSteps(result.steps()),
        config.data(), new Provenance(seed, seed, result.steps(), Networks.parameterCount(network),
            finite(result.lastLoss()), finite(result.lastValidationLoss()), VERSION,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Math.round(seconds * 100) / 100.0));
    ModelDirectory.save(dir, spec, network);
    ModelDirectory.freeze(network);
    return new Outcome(spec, network, score, data, result, seconds);
  }

  /** Runs the untrained network once on two training samples, so that a shape mismatch fails before training. */
  private static void trialForward(ScoreModel score, PreparedData data) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      long k = Math.min(2, data.training().size());
      Tensor x = data.training().data().narrow(0, 0, k);
      Tensor t = Torch.full(new long[] {k}, 0.5, x);
      Tensor p = data.training().parameters() == null ? null : data.training().parameters().narrow(0, 0, k);
      Tensor s = score.score(x, t, new Condition(p, null));
      if (!java.util.Arrays.equals(Torch.shape(s), Torch.shape(x))) {
        throw new UserError("the network maps samples of shape " + java.util.Arrays.toString(Torch.shape(x))
            + " to shape " + java.util.Arrays.toString(Torch.shape(s)) + "; check the network section");
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("the network cannot run on this data: " + e.getMessage(), e);
    }
  }

  private static String lossTitle(RunConfig config) {
    DataSpec d = config.data();
    String what = d instanceof FileDataSpec f ? Path.of(f.path()).getFileName().toString()
        : d instanceof GrfDataSpec ? "Gaussian random fields"
        : ((org.sbgm.cli.config.ToyDataSpec) d).name();
    return "Training loss: " + what + ", " + config.network().typeName() + ", " + config.sde().type().toUpperCase(Locale.ROOT) + " SDE";
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
