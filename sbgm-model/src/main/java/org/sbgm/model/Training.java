package org.sbgm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.config.FileDataSpec;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.config.RunConfig;
import org.sbgm.distributed.Group;
import org.sbgm.io.AtomicFiles;
import org.sbgm.io.IoFailures;
import org.sbgm.nn.Network;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.Networks;
import org.sbgm.nn.WeightFiles;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;
import org.sbgm.train.Checkpoint;
import org.sbgm.train.Trainer;
import org.sbgm.train.TrainerConfig;
import org.sbgm.train.TrainingListener;
import org.sbgm.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run from a configuration into a model directory, the path {@code sbgm train} and
 * {@code sbgm demo} take. Everything is built and checked before the first step (data, transform,
 * network, a trial forward pass on two samples); then the {@link Trainer} runs, writing checkpoints and
 * {@code metrics.csv} into the directory; finally the model (EMA weights, {@code model.yaml}, manifest
 * last) is written and returned as a {@link Model}.
 *
 * <pre>{@code
 * TrainedModel run = Training.fromFile(Path.of("configs/moons-mlp.yaml")).steps(2000).run(Path.of("runs/moons"));
 * Model model = run.model();
 * }</pre>
 */
public final class Training {
  /** The library version recorded in model provenance. */
  public static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(Training.class);

  private RunConfig config;
  private Device device;
  private Group group = Group.single();
  private final List<TrainingListener> listeners = new ArrayList<>();

  private Training(RunConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** A run of {@code config} (file data paths are used as they are). */
  public static Training of(RunConfig config) {
    return new Training(config);
  }

  /**
   * A run of the configuration in {@code file} (YAML, or JSON by extension); relative paths (data, a
   * TorchScript module, {@code network.init}) are resolved against its folder.
   */
  public static Training fromFile(Path file) {
    RunConfig run = ConfigFiles.readRunConfig(file);
    Path folder = file.toAbsolutePath().getParent();
    checkSections(run, "config file '" + file + "'");
    if (run.data() instanceof FileDataSpec f) {
      run = run.withData(f.resolvedAgainst(folder));
    }
    return new Training(run.withNetwork(run.network().resolvedAgainst(folder)));
  }

  /** Checks what the sections must agree on; {@code source} names the configuration in the message. */
  private static void checkSections(RunConfig config, String source) {
    long validateEvery = config.training().toCore().validateEvery();
    if (validateEvery > 0 && config.data().validation() == 0) {
      throw new InvalidInputException(source + ": training.validateEvery is " + validateEvery
          + ", but data.validation is 0 so no samples are held out; set data.validation > 0 or validateEvery: 0");
    }
  }

  /** Trains to {@code n} steps in total (in place of {@code training.steps}). */
  public Training steps(long n) {
    if (n < 1) {
      throw new InvalidInputException("the number of training steps must be at least 1, got " + n);
    }
    config = config.withTraining(config.training().withSteps(n));
    return this;
  }

  /** Uses {@code seed} for every random draw of the run (in place of {@code training.seed}). */
  public Training seed(long seed) {
    config = config.withTraining(config.training().withSeed(seed));
    return this;
  }

  /**
   * Trains in {@code precision}, {@code fp32}, {@code bf16} or {@code bf16-emulated} (in place of
   * {@code training.precision}); bf16 falls back to fp32 with a one-line warning where the device has no native
   * bfloat16, bf16-emulated does not.
   */
  public Training precision(String precision) {
    config = config.withTraining(config.training().withPrecision(precision));
    return this;
  }

  /** Trains on {@code device} (default: the CPU). */
  public Training device(Device device) {
    this.device = device;
    return this;
  }

  /**
   * Trains data-parallel over {@code group} ({@link Trainer#distributed}): every rank calls
   * {@link #run} or {@link #resume} with the same configuration and directory; rank 0 alone writes the
   * directory (checkpoints, metrics, the model), the others only read the checkpoint when resuming (so
   * on several machines the directory must be on a shared file system to resume).
   */
  public Training group(Group group) {
    this.group = Objects.requireNonNull(group, "group");
    return this;
  }

  /** The group this run trains over. */
  public Group group() {
    return group;
  }

  /** Adds a listener for steps, validations and checkpoints (e.g. a progress bar). */
  public Training listener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** The configuration as it will run. */
  public RunConfig config() {
    return config;
  }

  /** Trains a new model into {@code dir}, which must be absent or empty. */
  public TrainedModel run(Path dir) {
    return execute(dir, false);
  }

  /** Continues the training in {@code dir} from its checkpoint, to {@code training.steps} in total. */
  public TrainedModel resume(Path dir) {
    return execute(dir, true);
  }

  private TrainedModel execute(Path dir, boolean resume) {
    Torch.init();
    long start = System.nanoTime();
    boolean root = group.isRoot();
    if (root) {
      ModelDirectory.checkTarget(dir, resume); // the other ranks never write, and rank 0 may have begun
    }
    NetworkFiles.check(config.network(), dir, resume);
    long seed = config.training().seed();
    TrainerConfig trainerConfig = config.training().toCore();
    checkSections(config, "the configuration");
    PreparedData data = PreparedData.of(DataSources.load(config.data()), config.data().validation(),
        config.data().transform(), config.data().parametersTransform(), seed);
    NetworkConfig networkConfig;
    try {
      networkConfig = config.network().toCore(data.sampleShape(), data.conditionDim(), data.imageShape());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("the network does not fit the data: " + e.getMessage(), e);
    }
    Network network = networkConfig.create(seed);
    if (config.network().init() != null && !resume) {
      WeightFiles.load(network, Path.of(config.network().init())); // a resumed run's weights come from its checkpoint
    }
    if (device != null && !device.is_cpu()) {
      network.module().to(device, false);
    }
    ScoreModel score = new ScoreModel(network, config.sde().create(), Parameterisation.parse(config.parameterisation()));
    trialForward(score, data);
    Trainer trainer = new Trainer(score, trainerConfig, data.training(), data.validation()).checkpointTo(dir)
        .distributed(group).recording(recordedSettings(config));
    Path metricsFile = dir.resolve(ModelDirectory.METRICS);
    Metrics metrics = resume && root ? Metrics.read(metricsFile) : new Metrics();
    Path checkpoint = dir.resolve(Checkpoint.FILE_NAME);
    if (resume) {
      try {
        trainer.resume(checkpoint); // verified and restored in memory: the last input check
      } catch (IOException e) {
        throw new UncheckedIOException("cannot resume from '" + checkpoint + "': " + IoFailures.describe(e), e);
      }
      metrics.truncateAfter(trainer.step());
    }
    if (!root) {
      return trainOtherRank(dir, start, seed, data, network, trainer);
    }
    try (DirectoryLock lock = DirectoryLock.acquire(dir, resume ? "resuming training" : "training")) {
      ModelDirectory.checkTarget(dir, resume); // again, now that no other run can start
      if (resume && !trainer.resumedDigest().equals(storedDigest(checkpoint))) {
        throw new DirectoryLockedException(dir, "a run that wrote a new checkpoint while this one read the old one");
      }
      return train(dir, start, seed, data, network, trainer, metrics, metricsFile);
    }
  }

  /** Keys of the configuration that a resumed run may change: where files are, and the first weights. */
  private static final java.util.Set<String> MOVABLE = java.util.Set.of("data.path", "data.parametersPath",
      "data.imagePath", "network.path", "network.sha256", "network.init");

  /**
   * The settings a checkpoint's weights belong to, as dotted keys and JSON values: every key of the data, SDE,
   * network and parameterisation sections (the training section is the trainer's own), except where files are
   * ({@link #MOVABLE}; the data's size and a TorchScript module's digest are checked on their own).
   */
  static java.util.Map<String, String> recordedSettings(RunConfig config) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = ConfigFiles.json().valueToTree(config);
    tree.remove("training");
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    flatten("", tree, out);
    MOVABLE.forEach(out::remove);
    return out;
  }

  private static void flatten(String prefix, com.fasterxml.jackson.databind.JsonNode node, java.util.Map<String, String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
    } else if (!node.isNull()) {
      out.put(prefix, node.isTextual() ? node.asText() : node.toString());
    }
  }

  private static String storedDigest(Path checkpoint) {
    try {
      return Checkpoint.storedDigest(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + checkpoint + "': " + IoFailures.describe(e), e);
    }
  }

  /** The run itself, under the directory's lock: every input was checked, so writing may begin. */
  private TrainedModel train(Path dir, long start, long seed, PreparedData data, Network network, Trainer trainer,
      Metrics metrics, Path metricsFile) {
    try {
      int leftovers = AtomicFiles.removeLeftovers(dir);
      if (leftovers > 0) {
        LOG.info("Model directory {}: removed {} temporary file(s) of an interrupted write.", dir, leftovers);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model directory '" + dir + "': " + IoFailures.describe(e), e);
    }
    try {
      ModelDirectory.invalidate(dir);
      // the module the checkpoints belong to stays beside them, so a resume can check it is the same one
      ModelDirectory.keepModule(dir, config.network());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model directory '" + dir + "': " + IoFailures.describe(e), e);
    }
    trainer.addListener(metrics);
    trainer.addListener(new TrainingListener() {
      @Override
      public void beforeCheckpoint(long step, Path path) {
        metrics.write(metricsFile); // first: a resume cuts it back to the checkpoint's step, never loses rows
      }
    });
    listeners.forEach(trainer::addListener);
    TrainingResult result = trainer.train();
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.write(metricsFile);
    ModelSpec spec = spec(seed, data, network, result, seconds, trainer.precision().label());
    ModelSpec written = ModelDirectory.save(dir, spec, network);
    ModelDirectory.freeze(network);
    Model model = Model.trained(written, network, dir);
    return new TrainedModel(device == null ? model : model.on(device), result, data, seconds);
  }

  /** A rank other than 0: the same steps and collectives, nothing written. */
  private TrainedModel trainOtherRank(Path dir, long start, long seed, PreparedData data, Network network,
      Trainer trainer) {
    listeners.forEach(trainer::addListener);
    TrainingResult result = trainer.train();
    double seconds = (System.nanoTime() - start) / 1e9;
    ModelSpec spec = spec(seed, data, network, result, seconds, trainer.precision().label());
    ModelDirectory.freeze(network);
    Model model = Model.trained(spec, network, dir);
    return new TrainedModel(device == null ? model : model.on(device), result, data, seconds);
  }

  private ModelSpec spec(long seed, PreparedData data, Network network, TrainingResult result, double seconds,
      String precision) {
    return new ModelSpec(ModelSpec.FORMAT, config.sde(), config.network(), config.parameterisation(),
        data.transform(), Arrays.stream(data.sampleShape()).boxed().toList(), data.conditionDim(),
        config.data() instanceof GrfDataSpec ? List.of("A", "B") : null, config.training().withSteps(result.steps()).withPrecision(precision),
        config.data(), new Provenance(seed, seed, result.steps(), Networks.parameterCount(network),
            finite(result.lastLoss()), finite(result.lastValidationLoss()), VERSION,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Math.round(seconds * 100) / 100.0),
        data.parametersTransform(), data.imageShape() == null ? null : Arrays.stream(data.imageShape()).boxed().toList(),
        data.imageTransform());
  }

  /** Runs the untrained network once on two training samples, so that a shape mismatch fails before training. */
  private static void trialForward(ScoreModel score, PreparedData data) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      long k = Math.min(2, data.training().size());
      long[] rows = new long[(int) k];
      for (int i = 0; i < k; i++) {
        rows[i] = i;
      }
      Tensor x = data.training().batch(rows);
      Tensor t = Torch.full(new long[] {k}, 0.5, x);
      Tensor s = score.score(x, t, data.training().condition(rows));
      if (!Arrays.equals(Torch.shape(s), Torch.shape(x))) {
        throw new InvalidInputException("the network maps samples of shape " + Arrays.toString(Torch.shape(x))
            + " to shape " + Arrays.toString(Torch.shape(s)) + "; check the network section");
      }
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      // libtorch reports shape mismatches inside the network as runtime errors
      throw new InvalidInputException("the network cannot run on this data: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    return message == null ? "(no message)" : message.lines().findFirst().orElse(message);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
