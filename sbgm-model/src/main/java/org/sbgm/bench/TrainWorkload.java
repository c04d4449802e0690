package org.sbgm.bench;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.nn.Network;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.train.Trainer;
import org.sbgm.train.TrainerConfig;
import org.sbgm.data.TensorDataset;
import org.sbgm.train.Weighting;
import org.sbgm.torch.Precision;

/**
 * One denoising-score-matching step of the library's {@link Trainer}, configured as the reference's
 * {@code dsm_step}: VP SDE, ε-prediction (λ = σ²), t uniform on [1e-5, 1] (not stratified), AdamW with
 * PyTorch's defaults (β = (0.9, 0.999), eps 1e-8, weight decay 0.01) at the given learning rate, no
 * warm-up, no gradient clipping, EMA rate 0. The training set is exactly one batch, so every step sees
 * the same data, as the reference does.
 */
final class TrainWorkload extends ModelWorkload {
  /** PyTorch's default AdamW weight decay, which the reference uses. */
  static final double ADAMW_WEIGHT_DECAY = 0.01;

  private final Trainer trainer;

  /**
   * @param network the score network (trained in place)
   * @param data the batch, {@code [B, ...]}
   * @param steps the most steps that will be taken (warm-up plus timed repetitions)
   */
  TrainWorkload(String name, String note, Network network, Tensor data, double learningRate, long steps) {
    this(name, note, network, data, learningRate, steps, Precision.FP32);
  }

  /** As above, the forward pass and loss in {@code precision} (bf16 falls back to fp32 where it is not native). */
  TrainWorkload(String name, String note, Network network, Tensor data, double learningRate, long steps,
      Precision precision) {
    super(name, note, network);
    ScoreModel model = new ScoreModel(network, Sdes.vp());
    TrainerConfig config = new TrainerConfig(steps, Math.toIntExact(data.size(0)), learningRate, ADAMW_WEIGHT_DECAY,
        0, 0.0, 0.0, 0, 0, 0L, 1e-5, Weighting.SIGMA_SQUARED, false, precision);
    this.trainer = new Trainer(model, config, new TensorDataset(data), null);
  }

  /** The precision the steps run in (fp32 where bf16 was asked for but is not native). */
  Precision precision() {
    return trainer.precision();
  }

  @Override
  public void run() {
    trainer.trainUntil(trainer.step() + 1);
  }
}
