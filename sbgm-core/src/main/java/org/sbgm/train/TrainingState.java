package org.sbgm.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataLoader;
import org.sbgm.data.DataPosition;
import org.sbgm.data.Dataset;
import org.sbgm.data.TensorDataset;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Seeds;

/**
 * Everything a training run must save to continue bit for bit: the network's weights (and buffers),
 * the EMA shadows, the AdamW state, the number of steps taken, the data position and every generator
 * the run draws from. {@link CheckpointSchema} writes and restores exactly this object.
 *
 * <p>The generators, by the names they are saved under ({@link #generators()}):
 * <ul>
 *   <li>{@code time} and {@code noise}: the loss's diffusion times and noise z, seeded from the run's
 *       seed ({@link Seeds.Stream#TIME}, {@link Seeds.Stream#NOISE});</li>
 *   <li>{@code default}: libtorch's global CPU generator, which layers of user networks may draw from
 *       (a TorchScript module's dropout), seeded from the run's seed ({@link Seeds.Stream#DEFAULT}) when the
 *       state is built, so such draws replay too;</li>
 *   <li>{@code network/<name>}: each generator the network lists in
 *       {@link org.sbgm.nn.Network#generators()} (dropout and condition-dropout masks).</li>
 * </ul>
 * The data order is not a generator here: epoch e's permutation is drawn from a fresh generator seeded
 * by (seed, e), so the {@link DataPosition} fixes every later batch. The validation draws are made once
 * from the seed ({@link Validation}), so they are not state either.
 *
 * <p>The module holds either the trained (online) weights or, after {@link Trainer#train()} and during
 * validation, the EMA weights; {@link #averagedWeightsInPlace()} says which. Saving always stores the
 * trained weights as {@code model/*} and the averages as {@code ema/*}.
 */
public final class TrainingState {
  private final ScoreModel model;
  private final Module module;
  private final TensorVector parameters;
  private final FusedAdamW optimizer;
  private final Ema ema;
  private final DataLoader loader;
  private final Generator time;
  private final Generator noise;
  private long step;
  private double lastLoss = Double.NaN;
  private double lastValidationLoss = Double.NaN;
  private boolean averaged;

  TrainingState(ScoreModel model, TrainerConfig config, Dataset training) {
    this.model = model;
    this.module = model.network().module();
    this.parameters = module.parameters(true);
    if (parameters.size() == 0) {
      throw new InvalidInputException("The network has no parameters to train; expected at least one trainable tensor.");
    }
    this.optimizer = new FusedAdamW(module, config.learningRateAt(1), config.weightDecay());
    this.ema = new Ema(module, config.emaRate());
    if (config.batchSize() > training.size()) {
      throw new InvalidInputException("batchSize " + config.batchSize() + " exceeds the " + training.size()
          + " training samples; expected at most " + training.size() + ", since every step draws batchSize distinct samples.");
    }
    Dataset data = training instanceof TensorDataset t ? t.toLike(like()) : training;
    this.loader = DataLoader.shuffled(data, config.batchSize(), config.seed());
    this.time = Seeds.generator(config.seed(), Seeds.Stream.TIME);
    this.noise = Seeds.generator(config.seed(), Seeds.Stream.NOISE);
    // what a network draws from the default generator (a TorchScript module's dropout) replays from the seed
    torch.getDefaultCPUGenerator().set_current_seed(Seeds.derive(config.seed(), Seeds.Stream.DEFAULT));
  }

  public ScoreModel model() {
    return model;
  }

  /** The number of optimiser steps completed. */
  public long step() {
    return step;
  }

  /** Where the next batch starts in the shuffled data. */
  public DataPosition position() {
    return loader.position();
  }

  public FusedAdamW optimizer() {
    return optimizer;
  }

  public Ema ema() {
    return ema;
  }

  /** The training loss of the last step, NaN before the first. */
  public double lastLoss() {
    return lastLoss;
  }

  /** The last validation loss, NaN when none was computed. */
  public double lastValidationLoss() {
    return lastValidationLoss;
  }

  /**
   * Every generator the run draws from, by the name it is saved under ({@code time}, {@code noise},
   * {@code default}, {@code network/<name>}); the live objects, in a fixed order.
   */
  public Map<String, Generator> generators() {
    Map<String, Generator> g = new LinkedHashMap<>();
    g.put("time", time);
    g.put("noise", noise);
    g.put("default", torch.getDefaultCPUGenerator());
    model.network().generators().forEach((name, gen) -> g.put("network/" + name, gen));
    return Collections.unmodifiableMap(g);
  }

  /** True when the module holds the EMA weights rather than the trained ones. */
  public boolean averagedWeightsInPlace() {
    return averaged;
  }

  Module module() {
    return module;
  }

  TensorVector parameters() {
    return parameters;
  }

  /** A tensor with the dtype and device of the parameters (what data is converted to). */
  Tensor like() {
    return parameters.get(0);
  }

  DataLoader loader() {
    return loader;
  }

  Generator timeGenerator() {
    return time;
  }

  Generator noiseGenerator() {
    return noise;
  }

  /** Records a completed step {@code k} and its loss. */
  void completed(long k, double loss) {
    step = k;
    lastLoss = loss;
  }

  void validated(double loss) {
    lastValidationLoss = loss;
  }

  /** Sets what a checkpoint restored (the tensors, generators and position are copied in place by the schema). */
  void restored(long savedStep, double savedLoss, double savedValidation) {
    step = savedStep;
    lastLoss = savedLoss;
    lastValidationLoss = savedValidation;
  }

  /** Puts the EMA weights into the module; true when it swapped (undo with {@link #useTrainedWeights}). */
  boolean useAveragedWeights() {
    if (averaged) {
      return false;
    }
    ema.swap();
    averaged = true;
    return true;
  }

  /** Puts the trained weights into the module; true when it swapped. */
  boolean useTrainedWeights() {
    if (!averaged) {
      return false;
    }
    ema.swap();
    averaged = false;
    return true;
  }
}
