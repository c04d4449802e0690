package org.sbgm.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link ScoreModel} by denoising score matching ({@link DsmLoss}) with AdamW (decoupled weight
 * decay, Loshchilov and Hutter, arXiv 1711.05101), a linear learning-rate warm-up, global gradient-norm
 * clipping and an EMA of the weights; validates on held-out data with the EMA weights and fixed times
 * and noise (so values are comparable across steps); writes verified checkpoints from which a fresh
 * trainer resumes bit-exactly (same data, same configuration, one intra-op thread for bit-identity).
 *
 * <p>Every random draw comes from a generator derived from the configured seed: batch order (one
 * permutation per epoch), times, noise, validation draws. A non-finite loss or gradient stops training
 * with a {@link TrainingException} before the optimiser touches the weights; no checkpoint is written
 * after it. Each step's native memory is freed by a pointer scope.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final String FORMAT = "sbgm-train/1";

  private final ScoreModel model;
  private final Module module;
  private final TrainerConfig config;
  private final TrainingSet training;
  private final TrainingSet validation;
  private final TensorVector parameters;
  private final AdamW optimizer;
  private final Ema ema;
  private final DsmLoss loss;
  private final ShuffledBatches batches;
  private final Generator timeGenerator;
  private final Generator noiseGenerator;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final Tensor validationTimes;
  private final Tensor validationFactors;
  private final Tensor validationNoise;
  private Path checkpointDirectory;
  private Path lastCheckpoint;
  private long lastCheckpointStep = -1;
  private long step;
  private double lastLoss = Double.NaN;
  private double lastValidation = Double.NaN;
  private boolean failed;
  private boolean emaApplied;

  /**
   * @param model the model to train (its network's parameters are updated in place)
   * @param config the run's configuration
   * @param training training data (converted to the dtype and device of the model's parameters)
   * @param validation held-out data, or null (then {@code validateEvery} must be 0)
   */
  public Trainer(ScoreModel model, TrainerConfig config, TrainingSet training, TrainingSet validation) {
    Torch.init();
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(training, "training");
    if (validation == null && config.validateEvery() > 0) {
      throw new IllegalArgumentException(
          "validateEvery is " + config.validateEvery() + " but no validation set was given");
    }
    this.module = model.network().module();
    this.parameters = module.parameters(true);
    if (parameters.size() == 0) {
      throw new IllegalArgumentException("the network has no parameters to train");
    }
    Tensor like = parameters.get(0);
    this.training = training.toLike(like);
    this.validation = validation == null ? null : validation.toLike(like);
    AdamWOptions options = new AdamWOptions(config.learningRateAt(1));
    options.weight_decay().put(config.weightDecay());
    this.optimizer = new AdamW(parameters, options);
    this.ema = new Ema(module, config.emaRate());
    TimeSampler sampler = new TimeSampler(config.epsilon(), model.sde().horizon(), config.stratified());
    this.loss = new DsmLoss(model, config.weighting(), sampler);
    this.batches = new ShuffledBatches(this.training.size(), config.seed());
    this.timeGenerator = Seeds.generator(config.seed(), Seeds.Stream.TIME);
    this.noiseGenerator = Seeds.generator(config.seed(), Seeds.Stream.NOISE);
    if (this.validation != null) {
      Generator g = Seeds.generator(config.seed(), Seeds.Stream.VALIDATION);
      try (PointerScope scope = new PointerScope()) {
        Tensor x = this.validation.data();
        DsmLoss.Times draw = loss.draw(x.size(0), g, x);
        validationTimes = keep(draw.t());
        validationFactors = draw.factor() == null ? null : keep(draw.factor());
        validationNoise = keep(DsmLoss.noise(x, g));
      }
      g.close();
    } else {
      validationTimes = null;
      validationFactors = null;
      validationNoise = null;
    }
  }

  /** Writes checkpoints to {@code directory}/checkpoint.pt (the replaced one kept as checkpoint.prev.pt). */
  public Trainer checkpointTo(Path directory) {
    this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  public Trainer addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public ScoreModel model() {
    return model;
  }

  public TrainerConfig config() {
    return config;
  }

  /** The number of optimiser steps completed. */
  public long step() {
    return step;
  }

  public Ema ema() {
    return ema;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public DsmLoss loss() {
    return loss;
  }

  /** The learning rate currently set in the optimiser (that of the last step taken). */
  public double learningRate() {
    return optimizer.param_groups().get(0).options().get_lr();
  }

  /** Where the next batch starts in the shuffled data. */
  public EpochPosition position() {
    return batches.position();
  }

  /** The last checkpoint written or resumed from, or null. */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }

  /** Trains to {@code config.steps()}, writes a final checkpoint (if a directory is set), applies the EMA weights. */
  public TrainingResult train() {
    trainUntil(config.steps());
    if (validation != null && (config.validateEvery() == 0 || step % config.validateEvery() != 0)) {
      lastValidation = validationLoss();
      listeners.forEach(l -> l.onValidation(step, lastValidation));
    }
    if (checkpointDirectory != null && lastCheckpointStep != step) {
      checkpoint();
    }
    if (!emaApplied) {
      ema.swap();
      emaApplied = true;
    }
    return new TrainingResult(model, step, lastLoss, lastValidation, config, lastCheckpoint);
  }

  /** Takes optimiser steps until {@link #step()} equals {@code target} (validating and checkpointing on schedule). */
  public void trainUntil(long target) {
    if (failed) {
      throw new IllegalStateException("this trainer stopped after a non-finite step; resume a new Trainer from "
          + (lastCheckpoint == null ? "a checkpoint" : lastCheckpoint));
    }
    if (target < step || target > config.steps()) {
      throw new IllegalArgumentException(
          "target step must lie in [" + step + ", " + config.steps() + "], got " + target);
    }
    trainedWeights();
    module.train(true);
    while (step < target) {
      long k = step + 1;
      double lr = config.learningRateAt(k);
      double value = takeStep(k, lr);
      step = k;
      lastLoss = value;
      for (TrainingListener l : listeners) {
        l.onStep(k, value, lr);
      }
      if (validation != null && config.validateEvery() > 0 && k % config.validateEvery() == 0) {
        lastValidation = validationLoss();
        for (TrainingListener l : listeners) {
          l.onValidation(k, lastValidation);
        }
      }
      if (checkpointDirectory != null && config.checkpointEvery() > 0 && k % config.checkpointEvery() == 0) {
        checkpoint();
      }
    }
  }

  private double takeStep(long k, double lr) {
    try (PointerScope scope = new PointerScope(); AutoGradMode grad = new AutoGradMode(true)) {
      optimizer.param_groups().get(0).options().set_lr(lr);
      Tensor index = batches.next(config.batchSize());
      TrainingSet.Batch batch = training.select(index.to(training.data().device(), torch.ScalarType.Long));
      optimizer.zero_grad();
      DsmLoss.Result r = loss.compute(batch.x(), batch.condition(), timeGenerator, noiseGenerator);
      double value = r.loss().item_double();
      if (!Double.isFinite(value)) {
        throw fail(k, "the training loss is " + value);
      }
      r.loss().backward();
      if (config.gradClipNorm() > 0) {
        double norm = GradientClipping.clip(parameters, config.gradClipNorm());
        if (!Double.isFinite(norm)) {
          throw fail(k, "the gradient norm is " + norm);
        }
      } else if (!GradientClipping.allFinite(parameters)) {
        throw fail(k, "the gradient norm is " + GradientClipping.globalNorm(parameters));
      }
      optimizer.step();
      ema.update();
      return value;
    }
  }

  private TrainingException fail(long k, String what) {
    failed = true;
    String kept = lastCheckpoint == null ? "no checkpoint was written" : "the last checkpoint " + lastCheckpoint
        + " (step " + lastCheckpointStep + ") is untouched";
    return new TrainingException(k,
        "Training stopped at step " + k + ": " + what + "; the weights were not updated by this step and " + kept + ".");
  }

  /**
   * The mean per-sample loss over the validation set with the EMA weights, the model in eval mode, and
   * times and noise fixed at construction (from the seed), so values are comparable across steps.
   */
  public double validationLoss() {
    if (validation == null) {
      throw new IllegalStateException("no validation set was given to this trainer");
    }
    boolean swap = !emaApplied;
    boolean wasTraining = module.is_training();
    if (swap) {
      ema.swap();
    }
    module.eval();
    double sum = 0;
    long n = validation.size();
    long chunk = Math.max(config.batchSize(), 1024);
    try (NoGradGuard ng = new NoGradGuard()) {
      for (long start = 0; start < n; start += chunk) {
        long len = Math.min(chunk, n - start);
        try (PointerScope scope = new PointerScope()) {
          TrainingSet.Batch b = validation.slice(start, len);
          Tensor f = validationFactors == null ? null : validationFactors.narrow(0, start, len);
          Tensor per = loss.perSample(b.x(), b.condition(), validationTimes.narrow(0, start, len), f,
              validationNoise.narrow(0, start, len));
          sum += per.to(torch.ScalarType.Double).sum().item_double();
        }
      }
    } finally {
      module.train(wasTraining);
      if (swap) {
        ema.swap();
      }
    }
    return sum / n;
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
    boolean swap = emaApplied;
    if (swap) {
      ema.swap();
    }
    try (PointerScope scope = new PointerScope()) {
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("step", Long.toString(step));
      meta.put("data.size", Long.toString(training.size()));
      meta.put("data.epoch", Long.toString(batches.position().epoch()));
      meta.put("data.offset", Long.toString(batches.position().offset()));
      meta.put("ema.updates", Long.toString(ema.updates()));
      meta.put("loss.last", Double.toHexString(lastLoss));
      meta.put("validation.last", Double.toHexString(lastValidation));
      config.toMap().forEach((k, v) -> meta.put("config." + k, v));
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      named(module.named_parameters(true)).forEach((k, v) -> tensors.put("model/" + k, v));
      named(module.named_buffers(true)).forEach((k, v) -> tensors.put("buffer/" + k, v));
      ema.shadows().forEach((k, v) -> tensors.put("ema/" + k, v));
      tensors.put("rng/time", timeGenerator.get_state());
      tensors.put("rng/noise", noiseGenerator.get_state());
      tensors.put("rng/default", torch.getDefaultCPUGenerator().get_state());
      Checkpoint.write(file, meta, tensors, optimizer);
    } finally {
      if (swap) {
        ema.swap();
      }
    }
    lastCheckpoint = file;
    lastCheckpointStep = step;
    LOG.debug("checkpoint of step {} written to {}", step, file);
    for (TrainingListener l : listeners) {
      l.onCheckpoint(step, file);
    }
  }

  /** Resumes from a checkpoint file (verified first); see {@link #resume(Checkpoint)}. */
  public void resume(Path file) throws IOException {
    try (Checkpoint c = Checkpoint.read(file)) {
      resume(c);
    }
  }

  /**
   * Restores weights, EMA weights, optimiser state, step, generator states and data position from
   * {@code c}. This trainer must be fresh and configured as the checkpointed run (only {@code steps} may
   * differ); the model must have the same parameters and the training data the same size.
   */
  public void resume(Checkpoint c) {
    if (step != 0 || failed) {
      throw new IllegalStateException("only a fresh trainer can resume; this one has taken " + step + " steps");
    }
    if (!FORMAT.equals(c.metadata().get("format"))) {
      throw new IllegalArgumentException("Checkpoint " + c.file() + " is not a trainer checkpoint (format "
          + c.metadata().get("format") + ", expected " + FORMAT + ")");
    }
    Map<String, String> stored = c.metadataWithPrefix("config.");
    Map<String, String> mine = config.toMap();
    for (Map.Entry<String, String> e : mine.entrySet()) {
      if (!e.getKey().equals("steps") && !e.getValue().equals(stored.get(e.getKey()))) {
        throw new IllegalArgumentException("Checkpoint " + c.file() + " was written with " + e.getKey() + " = "
            + stored.get(e.getKey()) + ", but this trainer has " + e.getValue()
            + "; resume with the same configuration (only steps may change)");
      }
    }
    long savedStep = Long.parseLong(c.get("step"));
    if (savedStep > config.steps()) {
      throw new IllegalArgumentException("Checkpoint " + c.file() + " is at step " + savedStep
          + ", beyond this trainer's " + config.steps() + " steps");
    }
    long size = Long.parseLong(c.get("data.size"));
    if (size != training.size()) {
      throw new IllegalArgumentException("Checkpoint " + c.file() + " was trained on " + size
          + " samples, but this trainer has " + training.size());
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      copyInto(c, "model", named(module.named_parameters(true)));
      copyInto(c, "buffer", named(module.named_buffers(true)));
      ema.load(c.tensors("ema"), Long.parseLong(c.get("ema.updates")));
      c.loadOptimizer(optimizer);
      timeGenerator.set_state(c.tensor("rng/time"));
      noiseGenerator.set_state(c.tensor("rng/noise"));
      torch.getDefaultCPUGenerator().set_state(c.tensor("rng/default"));
    }
    batches.seek(new EpochPosition(Long.parseLong(c.get("data.epoch")), Long.parseLong(c.get("data.offset"))));
    step = savedStep;
    lastLoss = Double.parseDouble(c.get("loss.last"));
    lastValidation = Double.parseDouble(c.get("validation.last"));
    lastCheckpoint = c.file();
    lastCheckpointStep = savedStep;
  }

  private static void copyInto(Checkpoint c, String group, Map<String, Tensor> targets) {
    Map<String, Tensor> saved = c.tensors(group);
    if (!saved.keySet().equals(targets.keySet())) {
      throw new IllegalArgumentException("Checkpoint " + c.file() + " holds " + group + " tensors " + saved.keySet()
          + ", but the model has " + targets.keySet());
    }
    for (Map.Entry<String, Tensor> e : targets.entrySet()) {
      Tensor src = saved.get(e.getKey());
      Tensor dst = e.getValue();
      if (!Arrays.equals(Torch.shape(src), Torch.shape(dst))
          || src.scalar_type().intern() != dst.scalar_type().intern()) {
        throw new IllegalArgumentException("Checkpoint " + c.file() + " holds " + group + " tensor '" + e.getKey()
            + "' shaped " + Arrays.toString(Torch.shape(src)) + " (" + src.scalar_type().intern() + "), but the model's is "
            + Arrays.toString(Torch.shape(dst)) + " (" + dst.scalar_type().intern() + ")");
      }
      dst.copy_(src);
    }
  }

  private void trainedWeights() {
    if (emaApplied) {
      ema.swap();
      emaApplied = false;
    }
  }

  private void checkpoint() {
    try {
      saveCheckpoint();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the checkpoint of step " + step + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tensors of {@code dict} by name, as owned handles (belonging to the open pointer scope): the
   * dictionary's own {@code value()} points into the dictionary, which may be freed once it is unreachable.
   */
  private static Map<String, Tensor> named(StringTensorDict dict) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (long i = 0; i < dict.size(); i++) {
      m.put(dict.get(i).key().getString(), new Tensor(dict.get(i).value())); // owned handle: value() points into dict
    }
    return m;
  }

  private static Tensor keep(Tensor t) {
    t.retainReference();
    return t;
  }
}
