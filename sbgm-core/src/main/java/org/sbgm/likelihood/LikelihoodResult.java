package org.sbgm.likelihood;

/**
 * Log-likelihoods of a batch under the probability-flow ODE.
 *
 * @param nats log p_ε(x) per sample, in nats, in the units of the data the ODE saw
 * @param priorNats log p_T(x_T) per sample, the prior term of {@code nats}
 * @param dimension D, the number of values per sample
 * @param nfe evaluations of the augmented vector field
 * @param steps accepted solver steps
 *
 * <p>For bits per dimension of transformed or image data, see {@link org.sbgm.data.BitsPerDim}.
 */
public record LikelihoodResult(double[] nats, double[] priorNats, long dimension, int nfe, int steps) {
  /** The mean log-likelihood over the batch, in nats. */
  public double meanNats() {
    double s = 0;
    for (double v : nats) {
      s += v;
    }
    return s / nats.length;
  }
}
