package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Observes chunked sampling ({@link Model#sample(SamplerSpec, long, int, org.sbgm.score.Condition, long,
 * SamplingListener, org.sbgm.distributed.Group)}, {@code Model.posterior}) on one rank: it sees this rank's
 * chunks only. Every hook is a no-op by default.
 */
public interface SamplingListener {
  /**
   * Progress: {@code batch} of this rank's {@code batches} chunks are done and {@code fraction} ∈ [0, 1] of the
   * next one (the share of the time interval [ε, T] already integrated).
   */
  default void progress(int batch, int batches, double fraction) {}

  /**
   * A state x_t of this rank's first chunk (on rank 0, or in one process, the run's first chunk), in model
   * units: the prior draw at T, then the state after each step (the last at ε is the chunk's samples). The
   * tensor is valid only during the call; a rank without chunks sees none.
   */
  default void firstBatchState(double t, Tensor x) {}
}
