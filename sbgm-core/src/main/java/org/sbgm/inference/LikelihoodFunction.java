package org.sbgm.inference;

/**
 * θ ↦ log L(θ) = log p(x_obs | θ) for a batch of parameter points, the part of a posterior the data give.
 * {@link ObservedLikelihood} is the one a conditional diffusion model gives through the probability-flow
 * ODE; a closed-form likelihood (an exact oracle) plugs in the same way.
 */
@FunctionalInterface
public interface LikelihoodFunction {
  /** log L(θ_c) for each row θ_c of {@code theta} ({@code [C][P]}). */
  double[] logLikelihood(double[][] theta);
}
