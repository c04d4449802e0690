package org.sbgm.model;

import java.util.Arrays;

/**
 * Log-likelihoods in data units.
 *
 * @param nats log p(x) per point, in nats, the transform's log-Jacobian included
 * @param dimension D, the values per point
 * @param image true for 8-bit images (the nats are then those of the dequantised data)
 * @param nfe evaluations of the augmented ODE over all chunks, summed over the ranks when sharded
 * @param batches the number of chunks of the run (all ranks together)
 */
public record DataLikelihood(double[] nats, long dimension, boolean image, long nfe, int batches) {
  /** The mean log-likelihood in nats. */
  public double mean() {
    return Arrays.stream(nats).average().orElse(Double.NaN);
  }

  /**
   * Bits per dimension of the mean, -mean / (D ln 2); since the nats include the scaling's log |det|,
   * for 8-bit images this is the usual bits/dim of the dequantised data.
   */
  public double meanBitsPerDim() {
    return -mean() / (dimension * Math.log(2));
  }

  /** Bits per dimension of each point. */
  public double[] bitsPerDim() {
    return Arrays.stream(nats).map(v -> -v / (dimension * Math.log(2))).toArray();
  }
}
