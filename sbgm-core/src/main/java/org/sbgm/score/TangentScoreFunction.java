package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;

/**
 * A score function that can also give its Jacobian-vector products (∂s/∂x) v_k in forward mode, in
 * the same pass as the score and without an autograd graph. Consumers (the log-likelihood's
 * divergence) check {@link #supportsTangents()} and fall back to autograd when it is false.
 */
public interface TangentScoreFunction extends ScoreFunction {
  /** Whether {@link #scoreWithTangents} is available (for a {@link ScoreModel}: its network computes tangents). */
  boolean supportsTangents();

  /**
   * The score s(x, t | condition), as {@link #score}, and (∂s/∂x) v_k for K tangents v_k, computed
   * without autograd whatever the grad mode.
   *
   * @param tangents {@code [K, B, ...]}: K tangents, each shaped like x ({@code [B, ...]})
   * @throws UnsupportedOperationException when {@link #supportsTangents()} is false
   */
  ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents);
}
