package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;

/** A (possibly conditional) score ∇ₓ log p_t(x | condition). */
@FunctionalInterface
public interface ScoreFunction {
  /**
   * The score at {@code x} ({@code [B, ...]}) and times {@code t} ({@code [B]}); shaped like x.
   * Implementations must not assume grad mode either way: callers that differentiate through the
   * score (the exact divergence) enable it, samplers disable it.
   */
  Tensor score(Tensor x, Tensor t, Condition condition);
}
