package org.sbgm.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataPosition;
import org.sbgm.data.Dataset;
import org.sbgm.distributed.Group;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Bf16Support;
import org.sbgm.torch.Precision;
import org.sbgm.torch.Torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link ScoreModel} by denoising score matching ({@link DsmLoss}) with AdamW (decoupled weight
 * decay, Loshchilov and Hutter, arXiv 1711.05101), a linear learning-rate warm-up, global gradient-norm
 * clipping and an EMA of the weights; validates on held-out data ({@link Validation}); writes verified
 * checkpoints ({@link CheckpointSchema}) from which a fresh trainer resumes bit-exactly (same data,
 * same configuration, one intra-op thread for bit-identity).
 *
 * <p>Batches: {@link org.sbgm.data.DataLoader#shuffled} over the training set. Epoch e visits the
 * samples in a permutation drawn from (seed, e); step j of the epoch takes the j-th block of batchSize
 * samples, and the fewer than batchSize samples left at the end of an epoch are skipped (a different
 * set each epoch). So every step sees batchSize distinct samples and batchSize may not exceed the
 * training set. Everything a resumed run needs is in {@link TrainingState}.
 *
 * <p>A non-finite loss or gradient stops training with a {@link TrainingException} before the optimiser
 * touches the weights; no checkpoint is written after it.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainerConfig config;
  private final TrainingState state;
  private final DsmLoss loss;
  private final TrainingStep trainingStep;
  private final Precision precision;
  private final Validation validation;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private Path checkpointDirectory;
  private Path lastCheckpoint;
  private long lastCheckpointStep = -1;
  private boolean failed;
  private String resumedDigest;
  private Map<String, String> run = Map.of();
  private final Dataset training;
  private DataParallel parallel;

  /**
   * @param model the model to train (its network's parameters are updated in place)
   * @param config the run's configuration
   * @param training training data with its conditions (brought to the dtype and device of the model's parameters)
   * @param validation held-out data, or null (then {@code validateEvery} must be 0)
   */
  public Trainer(ScoreModel model, TrainerConfig config, Dataset training, Dataset validation) {
    Torch.init();
    Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(training, "training");
    if (validation == null && config.validateEvery() > 0) {
      throw new InvalidInputException(
          "validateEvery is " + config.validateEvery() + " but no validation set was given; expected a validation set,"
              + " or validateEvery 0.");
    }
    this.state = new TrainingState(model, config, training);
    this.training = training;
    TimeSampler sampler = new TimeSampler(config.epsilon(), model.sde().horizon(), config.stratified());
    this.loss = new DsmLoss(model, config.weighting(), sampler);
    Bf16Support.Choice precisionChoice = Bf16Support.choose(config.precision(), state.like().device());
    if (precisionChoice.notice() != null) {
      LOG.warn(precisionChoice.notice());
    }
    this.precision = precisionChoice.precision();
    this.trainingStep = new TrainingStep(state, loss, config.gradClipNorm(), precision);
    this.validation = validation == null ? null
        : new Validation(loss, validation, config.seed(), state.like(), config.batchSize());
  }

  /**
   * Trains data-parallel over {@code group} (see {@link DataParallel} for the semantics): checks that
   * every rank has the same configuration, data and network (a mismatch is a
   * {@link org.sbgm.distributed.DistributedException} naming the rank), copies rank 0's initial weights
   * and EMA to every rank, and from then on each rank computes its block of every global batch and the
   * gradients are all-reduced. Only rank 0 writes checkpoints (which record the world size) and calls
   * the checkpoint listeners; every rank takes part in them. Call on a fresh trainer, before
   * {@link #resume}; every rank must make the same calls in the same order.
   */
  public Trainer distributed(Group group) {
    Objects.requireNonNull(group, "group");
    if (step() != 0 || parallel != null) {
      throw new IllegalStateException("distributed(group) must be called once, on a fresh trainer");
    }
    this.parallel = new DataParallel(group, state, config, training);
    trainingStep.distribute(parallel);
    return this;
  }

  /** The group this trainer runs over ({@link Group#single()} unless {@link #distributed} was called). */
  public Group group() {
    return parallel == null ? Group.single() : parallel.group();
  }

  /** Writes checkpoints to {@code directory}/checkpoint.pt (the replaced one kept as checkpoint.prev.pt). */
  /**
   * Records {@code settings} (dotted keys and their values, such as the model's {@code sde.betaMax}) in every
   * checkpoint, as metadata {@code run.KEY}; {@link #resume} then refuses a checkpoint written with other values,
   * naming the first key that differs. The trainer's own configuration is checked in any case; these are the
   * settings outside it that the weights and optimiser state belong to (the SDE, the network, the data).
   */
  public Trainer recording(Map<String, String> settings) {
    this.run = Map.copyOf(settings);
    return this;
  }

  public Trainer checkpointTo(Path directory) {
    this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  public Trainer addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Trains to {@code config.steps()}, validates and checkpoints a last time, and leaves the EMA weights in the model. */
  public TrainingResult train() {
    trainUntil(config.steps());
    if (validation != null && (config.validateEvery() == 0 || step() % config.validateEvery() != 0)) {
      validate();
    }
    if (checkpointDirectory != null && lastCheckpointStep != step()) {
      checkpoint();
    }
    state.useAveragedWeights();
    return new TrainingResult(model(), step(), state.lastLoss(), state.lastValidationLoss(), config, lastCheckpoint);
  }

  /** Takes optimiser steps until {@link #step()} equals {@code target}, validating and checkpointing on schedule. */
  public void trainUntil(long target) {
    if (failed) {
      throw new IllegalStateException("this trainer stopped after a non-finite step; resume a new Trainer from "
          + (lastCheckpoint == null ? "a checkpoint" : lastCheckpoint));
    }
    if (target < step() || target > config.steps()) {
      throw new InvalidInputException("target step must lie in [" + step() + ", " + config.steps() + "], got " + target);
    }
    state.useTrainedWeights();
    state.module().train(true);
    while (step() < target) {
      long k = step() + 1;
      double lr = config.learningRateAt(k);
      TrainingStep.Outcome outcome = trainingStep.take(lr);
      if (outcome.nonFinite() != null) {
        throw fail(k, outcome.nonFinite());
      }
      state.completed(k, outcome.loss());
      listeners.forEach(l -> l.onStep(k, outcome.loss(), lr));
      if (validation != null && config.validateEvery() > 0 && k % config.validateEvery() == 0) {
        validate();
      }
      if (checkpointDirectory != null && config.checkpointEvery() > 0 && k % config.checkpointEvery() == 0) {
        checkpoint();
      }
    }
  }

  /** The validation loss now (EMA weights, eval mode, fixed draws); see {@link Validation}. */
  public double validationLoss() {
    if (validation == null) {
      throw new IllegalStateException("no validation set was given to this trainer");
    }
    return validation.loss(state);
  }

  private void validate() {
    double v = validationLoss();
    state.validated(v);
    listeners.forEach(l -> l.onValidation(step(), v));
  }

  private TrainingException fail(long k, String what) {
    failed = true;
    String kept = lastCheckpoint == null ? "no checkpoint was written" : "the last checkpoint " + lastCheckpoint
        + " (step " + lastCheckpointStep + ") is untouched";
    return new TrainingException(k,
        "Training stopped at step " + k + ": " + what + "; the weights were not updated by this step and " + kept + ".");
  }

  /** Writes a checkpoint to the checkpoint directory and returns its path. */
  public Path saveCheckpoint() throws IOException {
    if (checkpointDirectory == null) {
      throw new IllegalStateException("no checkpoint directory was set; call checkpointTo(directory) first");
    }
    Path file = checkpointDirectory.resolve(Checkpoint.FILE_NAME);
    saveCheckpoint(file);
    return file;
  }

  /** Writes a checkpoint of the current state to {@code file} (atomically, keeping the replaced file). */
  public void saveCheckpoint(Path file) throws IOException {
    Group group = group();
    Map<String, Tensor> ranks;
    try (PointerScope scope = new PointerScope()) {
      if (parallel != null) {
        parallel.checkInSync(step()); // a collective: every rank
      }
      ranks = parallel == null ? Map.of() : parallel.gatherGeneratorStates(); // a collective: every rank
      if (group.isRoot()) {
        listeners.forEach(l -> l.beforeCheckpoint(step(), file));
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        if (group.worldSize() != 1) {
          meta.put(DataParallel.WORLD_SIZE, Integer.toString(group.worldSize()));
        }
        new java.util.TreeMap<>(run).forEach((k, v) -> meta.put(RUN_PREFIX + k, v));
        CheckpointSchema.write(file, state, config, meta, ranks);
      }
    }
    lastCheckpoint = file;
    lastCheckpointStep = step();
    if (group.isRoot()) {
      LOG.debug("checkpoint of step {} written to {}", step(), file);
      listeners.forEach(l -> l.onCheckpoint(step(), file));
    }
  }

  private void checkpoint() {
    try {
      saveCheckpoint();
    } catch (IOException e) {
      String kept = lastCheckpoint == null ? "no earlier checkpoint exists"
          : "the previous checkpoint " + lastCheckpoint + " (step " + lastCheckpointStep + ") is intact";
      throw new UncheckedIOException("could not write the checkpoint of step " + step() + " to "
          + checkpointDirectory.resolve(Checkpoint.FILE_NAME) + " (" + org.sbgm.io.IoFailures.describe(e) + "); " + kept, e);
    }
  }

  /**
   * Resumes from a checkpoint file (verified first; a corrupt one throws {@link CorruptCheckpointException},
   * one that does not fit this trainer an {@link InvalidInputException}, both naming the file).
   */
  public void resume(Path file) throws IOException {
    try (Checkpoint c = Checkpoint.read(file)) {
      resume(c);
    }
  }

  /**
   * Restores the whole {@link TrainingState} from {@code c}. This trainer must be fresh and configured as
   * the checkpointed run (only {@code steps} may differ); the model must have the same parameters and
   * generators, the training data the same size.
   */
  public void resume(Checkpoint c) {
    if (step() != 0 || failed) {
      throw new IllegalStateException("only a fresh trainer can resume; this one has taken " + step() + " steps");
    }
    checkRecorded(c);
    CheckpointSchema.restore(c, state, config);
    if (parallel != null) {
      parallel.restored(c);
    }
    lastCheckpoint = c.file();
    lastCheckpointStep = step();
    resumedDigest = c.digest();
  }

  /** Metadata prefix of the {@linkplain #recording recorded} settings. */
  static final String RUN_PREFIX = "run.";

  /** Refuses a checkpoint whose recorded settings differ from this trainer's (one written before they were recorded has none). */
  private void checkRecorded(Checkpoint c) {
    Map<String, String> stored = c.metadataWithPrefix(RUN_PREFIX);
    if (stored.isEmpty()) {
      return;
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(stored.keySet());
    keys.addAll(run.keySet());
    for (String k : keys) {
      String was = stored.get(k);
      String now = run.get(k);
      if (!java.util.Objects.equals(was, now)) {
        throw new InvalidInputException("Checkpoint " + c.file() + " was written with " + k + " = "
            + (was == null ? "(not set)" : was) + ", but this run has " + (now == null ? "(not set)" : now)
            + "; resume with the same configuration (only training.steps may change).");
      }
    }
  }

  /** The precision the steps run in: the configured one, or fp32 where bfloat16 is not native (logged once). */
  public Precision precision() {
    return precision;
  }

  public ScoreModel model() {
    return state.model();
  }

  public TrainerConfig config() {
    return config;
  }

  /** Everything a checkpoint saves. */
  public TrainingState state() {
    return state;
  }

  /** The number of optimiser steps completed. */
  public long step() {
    return state.step();
  }

  public Ema ema() {
    return state.ema();
  }

  public FusedAdamW optimizer() {
    return state.optimizer();
  }

  public DsmLoss loss() {
    return loss;
  }

  /** The learning rate currently set in the optimiser (that of the last step taken). */
  public double learningRate() {
    return state.optimizer().learningRate();
  }

  /** Where the next batch starts in the shuffled data. */
  public DataPosition position() {
    return state.position();
  }

  /** The SHA-256 of the checkpoint this trainer resumed from ({@link Checkpoint#digest()}), or null. */
  public String resumedDigest() {
    return resumedDigest;
  }

  /** The last checkpoint written or resumed from, or null. */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }
}
