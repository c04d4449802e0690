package org.sbgm.likelihood;

/**
 * Log-likelihoods of a batch under the probability-flow ODE.
 *
 * @param nats log p_ε(x) per sample, in nats, in the units of the data the ODE saw
 * @param priorNats log p_T(x_T) per sample, the prior term of {@code nats}
 * @param dimension D, the number of values per sample
 * @param nfe evaluations of the augmented vector field
 * @param steps accepted solver steps
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

  /**
   * Bits per dimension of the original data when the ODE saw y = T(x) with log|det ∂T/∂x| =
   * {@code logJacobian[i]} per sample: -(log p_y(y) + log|det|)/(D ln 2). For 256-level images scaled
   * to [-1, 1] after uniform dequantisation, log|det| = D ln(2/256) = -7 D ln 2, so that the
   * result is -log p_y/(D ln 2) + 7, the usual figure.
   */
  public double[] bitsPerDim(double[] logJacobian) {
    if (logJacobian.length != nats.length) {
      throw new IllegalArgumentException(
          "expected " + nats.length + " log-Jacobians (one per sample), got " + logJacobian.length);
    }
    double[] out = new double[nats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = -(nats[i] + logJacobian[i]) / (dimension * Math.log(2));
    }
    return out;
  }
}
