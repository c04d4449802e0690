package org.sbgm.inverse;

import org.bytedeco.pytorch.Generator;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.StepObserver;

/**
 * Draws approximate samples of the posterior p(x | y) of a linear inverse problem y = A x + σ_y n whose
 * prior p(x) is an unconditional diffusion model (or one at a fixed condition): every posterior sampler
 * shares this signature, as every {@link org.sbgm.sample.Sampler} shares its own. The samples are in
 * the model's units and shaped {@code [n, operator.inputShape()...]}; every random draw comes from the
 * caller's generator.
 */
public interface PosteriorSampler {
  /**
   * {@code n} posterior samples.
   *
   * @param prior the diffusion model of p(x)
   * @param observation A, y and σ_y (A's signal shape is the model's sample shape)
   * @param condition the model's condition (one row, or n rows), or null for none
   * @throws org.sbgm.InvalidInputException when the observation does not fit the method or the model
   * @throws org.sbgm.solve.IntegrationException when the integration fails (a non-finite state)
   */
  PosteriorSamples sample(DiffusionModel prior, Observation observation, long n, Condition condition, Generator generator);

  /** The same sampler computing in {@code dtype}. */
  PosteriorSampler withDType(org.sbgm.torch.DType dtype);

  /** The same sampler reporting each step to {@code observer} (progress). */
  PosteriorSampler withObserver(StepObserver observer);

  /** A short description with the settings. */
  String describe();
}
