package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Samples in data units and what they cost.
 *
 * @param x the samples {@code [n, ...]}, float32 (owned by the caller's pointer scope, or by the caller)
 * @param nfe score evaluations over all chunks, summed over the ranks when sharded
 * @param batches the number of chunks of the run (all ranks together)
 */
public record ModelSamples(Tensor x, long nfe, int batches) {}
