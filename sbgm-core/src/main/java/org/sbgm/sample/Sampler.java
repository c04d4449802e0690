package org.sbgm.sample;

import org.bytedeco.pytorch.Generator;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;

/**
 * Draws samples from the model p_ε of a {@link DiffusionModel} (its score and the forward SDE it owns)
 * by integrating from the prior at T back to ε. Every sampler shares this one signature; the time grid
 * is separate ({@link TimeGrid}) and every stochastic choice comes from the caller's {@link Generator},
 * so a run replays from its seed.
 */
public interface Sampler {
  /**
   * {@code n} samples, each shaped {@code shape} (without the batch dimension), under
   * {@code condition} (whose tensors, if any, have {@code n} rows; null for none).
   *
   * @param model the score and its SDE
   * @param generator draws the prior sample and, for stochastic samplers, every noise increment
   * @throws org.sbgm.InvalidInputException when n, shape or the sampler's ε do not fit the model
   * @throws org.sbgm.solve.IntegrationException when the integration fails (a non-finite state)
   */
  Samples sample(DiffusionModel model, long n, long[] shape, Condition condition, Generator generator);
}
