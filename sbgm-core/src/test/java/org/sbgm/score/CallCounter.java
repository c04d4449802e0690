package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;

/** A decorator for tests that counts the score and forward-mode calls reaching the model behind it. */
public final class CallCounter extends ForwardingDiffusionModel {
  /** Calls of {@link #score}, the path autograd differentiates. */
  public int scores;
  /** Calls of {@link #scoreWithTangents}, the forward-mode path. */
  public int tangents;

  public CallCounter(DiffusionModel model) {
    super(model);
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    scores++;
    return super.score(x, t, condition);
  }

  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    this.tangents++;
    return super.scoreWithTangents(x, t, condition, tangents);
  }
}
