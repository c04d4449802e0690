package org.sbgm.inverse;

import org.bytedeco.pytorch.Tensor;

/**
 * Posterior samples and what they cost.
 *
 * @param x the samples, {@code [n, ...]} (owned by the caller's pointer scope)
 * @param nfe score evaluations (network forward passes) spent
 * @param vjps vector-Jacobian products (network backward passes) spent on the guidance
 */
public record PosteriorSamples(Tensor x, int nfe, long vjps) {}
