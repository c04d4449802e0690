package org.sbgm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Samples in data units and what they cost.
 *
 * @param x the samples {@code [n, ...]}, float32 (owned by the caller's pointer scope, or by the caller)
 * @param nfe score evaluations over all batches
 * @param batches the number of batches they were drawn in
 */
public record ModelSamples(Tensor x, long nfe, int batches) {}
