package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/** Observes batched sampling ({@link Model#sample(SamplerSpec, long, int, org.sbgm.score.Condition,
 * org.bytedeco.pytorch.Generator, SamplingListener)}); every hook is a no-op by default. */
public interface SamplingListener {
  /**
   * Progress: {@code batch} of {@code batches} batches are done and {@code fraction} ∈ [0, 1] of the
   * next one (the share of the time interval [ε, T] already integrated).
   */
  default void progress(int batch, int batches, double fraction) {}

  /**
   * A state x_t of the first batch, in model units: the prior draw at T, then the state after each step
   * (the last at ε is the batch's samples). The tensor is valid only during the call.
   */
  default void firstBatchState(double t, Tensor x) {}
}
