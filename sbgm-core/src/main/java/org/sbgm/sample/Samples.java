package org.sbgm.sample;

import org.bytedeco.pytorch.Tensor;

/**
 * Samples and what they cost.
 *
 * @param x the samples, {@code [n, ...]} (owned by the caller's pointer scope)
 * @param nfe score evaluations spent
 */
public record Samples(Tensor x, int nfe) {}
