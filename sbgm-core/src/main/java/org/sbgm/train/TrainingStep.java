package org.sbgm.train;

import java.util.ArrayList;
import java.util.List;
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
  private DataParallel parallel;

  TrainingStep(TrainingState state, DsmLoss loss, double clipNorm, Precision precision) {
    this.state = state;
    this.loss = loss;
    this.clipNorm = clipNorm;
    this.precision = precision;
  }

  /** Takes this rank's block of every batch and all-reduces the gradients (and the loss) over the group. */
  void distribute(DataParallel parallel) {
    this.parallel = parallel;
  }

  Outcome take(double learningRate) {
    try (PointerScope scope = new PointerScope(); AutoGradMode grad = new AutoGradMode(true)) {
      state.optimizer().setLearningRate(learningRate);
      Batch batch = state.loader().next();
      Tensor like = state.like();
      state.optimizer().zeroGrad();
      if (parallel != null && parallel.group().worldSize() > 1) {
        return takeBlock(batch, like);
      }
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
      return update(value);
    }
  }

  /**
   * The data-parallel step: this rank's block of the global batch (loss = block sum / B), backward, one
   * bucketed allreduce of the gradients with the loss, then the same update as one process.
   */
  private Outcome takeBlock(Batch batch, Tensor like) {
    long[] block = parallel.block(batch.data().size(0));
    DsmLoss.Result r;
    try (Autocast autocast = Autocast.of(precision, like.device())) {
      r = loss.computeRows(DsmLoss.likeOf(batch.data(), like), DsmLoss.likeOf(batch.condition(), like),
          state.timeGenerator(), state.noiseGenerator(), block[0], block[1]);
    }
    r.loss().backward();
    List<Tensor> reduced = new ArrayList<>(parallel.gradients());
    Tensor total = r.loss().detach().reshape(1).clone();
    reduced.add(total);
    parallel.group().allreduceSum(reduced);
    double value = total.item_double();
    if (!Double.isFinite(value)) {
      return new Outcome(value, "the training loss is " + value);
    }
    return update(value);
  }

  /** Clipping (or the finiteness check), AdamW and the EMA on the gradients in place. */
  private Outcome update(double value) {
    if (clipNorm > 0) {
      double norm = GradientClipping.clip(state.parameters(), clipNorm);
      if (!Double.isFinite(norm)) {
        return new Outcome(value, "the gradient norm is " + norm);
      }
    } else if (!state.optimizer().gradientsFinite()) {
      return new Outcome(value, "the gradient norm is " + GradientClipping.globalNorm(state.parameters()));
    }
    state.optimizer().step();
    state.ema().update();
    return new Outcome(value, null);
  }
}
