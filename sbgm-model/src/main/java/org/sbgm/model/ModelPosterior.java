package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Posterior samples in data units and what they cost.
 *
 * @param x the samples {@code [n, ...]}, float32 (owned by the caller's pointer scope, or by the caller)
 * @param nfe score evaluations over all chunks, summed over the ranks when sharded
 * @param vjps vector-Jacobian products spent on the guidance over all chunks, summed over the ranks
 * @param batches the number of chunks of the run (all ranks together)
 */
public record ModelPosterior(Tensor x, long nfe, long vjps, int batches) {}
