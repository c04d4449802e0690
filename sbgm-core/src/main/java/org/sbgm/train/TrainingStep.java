package org.sbgm.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.data.Batch;
import org.sbgm.torch.Autocast;
import org.sbgm.torch.Precision;

/**
 * One optimiser step of denoising score matching on the state's next batch: the loss from the state's
 * time and noise generators, backward, global gradient-norm clipping (or a finiteness check without
 * it), AdamW at the step's learning rate, the EMA update. A non-finite loss or gradient is reported
 * before the optimiser touches the weights. All native memory of the step is freed by one pointer scope.
 * With {@link Precision#BF16} the forward pass and the loss run under bfloat16 {@link Autocast} (the
 * loss itself comes out in float32 by type promotion); backward, clipping, AdamW and the EMA in float32.
 */
final class TrainingStep {
  /** The outcome: the batch loss, or a description of what was not finite (then nothing was updated). */
  record Outcome(double loss, String nonFinite) {}

  private final TrainingState state;
  private final DsmLoss loss;
  private final double clipNorm;
  private final Precision precision;

  TrainingStep(TrainingState state, DsmLoss loss, double clipNorm, Precision precision) {
    this.state = state;
    this.loss = loss;
    this.clipNorm = clipNorm;
    this.precision = precision;
  }

  Outcome take(double learningRate) {
    try (PointerScope scope = new PointerScope(); AutoGradMode grad = new AutoGradMode(true)) {
      state.optimizer().param_groups().get(0).options().set_lr(learningRate);
      Batch batch = state.loader().next();
      Tensor like = state.like();
      state.optimizer().zero_grad();
      DsmLoss.Result r;
      try (Autocast autocast = Autocast.of(precision, like.device())) {
        r = loss.compute(DsmLoss.likeOf(batch.data(), like), DsmLoss.likeOf(batch.condition(), like),
            state.timeGenerator(), state.noiseGenerator());
      }
      double value = r.loss().item_double();
      if (!Double.isFinite(value)) {
        return new Outcome(value, "the training loss is " + value);
      }
      r.loss().backward();
      if (clipNorm > 0) {
        double norm = GradientClipping.clip(state.parameters(), clipNorm);
        if (!Double.isFinite(norm)) {
          return new Outcome(value, "the gradient norm is " + norm);
        }
      } else if (!GradientClipping.allFinite(state.parameters())) {
        return new Outcome(value, "the gradient norm is " + GradientClipping.globalNorm(state.parameters()));
      }
      state.optimizer().step();
      state.ema().update();
      return new Outcome(value, null);
    }
  }
}
