package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Posterior samples in data units and what they cost.
 *
 * @param x the samples {@code [n, ...]}, float32 (owned by the caller's pointer scope, or by the caller)
 * @param nfe score evaluations over all batches
 * @param vjps vector-Jacobian products spent on the guidance over all batches
 * @param batches the number of batches they were drawn in
 */
public record ModelPosterior(Tensor x, long nfe, long vjps, int batches) {}
