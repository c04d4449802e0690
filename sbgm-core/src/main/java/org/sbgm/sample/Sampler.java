package org.sbgm.sample;

import org.bytedeco.pytorch.Generator;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.sde.Sde;

/**
 * Draws samples from the model p_ε defined by a score and a forward SDE by integrating from the
 * prior at T back to ε. Every sampler shares this one signature; the time grid is separate
 * ({@link TimeGrid}) and every stochastic choice comes from the caller's {@link Generator}.
 */
public interface Sampler {
  /**
   * {@code n} samples, each shaped {@code shape} (without the batch dimension), under
   * {@code condition} (whose tensors, if any, have {@code n} rows).
   */
  Samples sample(ScoreFunction score, Sde sde, long n, long[] shape, Condition condition, Generator generator);
}
