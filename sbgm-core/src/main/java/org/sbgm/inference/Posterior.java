package org.sbgm.inference;

import java.util.Objects;
import org.sbgm.InvalidInputException;

/**
 * An unnormalised log posterior, log p(θ | x_obs) = log L(θ) + log π(θ) + const, for batches of points:
 * the likelihood is evaluated (in one call) only at the points inside the prior's support; the others get
 * −∞ without being evaluated.
 */
public final class Posterior {
  private final LikelihoodFunction likelihood;
  private final Prior prior;
  private long points;

  /** The posterior of {@code likelihood} under {@code prior}. */
  public Posterior(LikelihoodFunction likelihood, Prior prior) {
    this.likelihood = Objects.requireNonNull(likelihood, "likelihood");
    this.prior = Objects.requireNonNull(prior, "prior");
  }

  /** The prior. */
  public Prior prior() {
    return prior;
  }

  /** P. */
  public int dimension() {
    return prior.dimension();
  }

  /** The number of points whose likelihood was evaluated so far. */
  public long evaluatedPoints() {
    return points;
  }

  /**
   * log L(θ_c) + log π(θ_c) per row of {@code theta}; −∞ outside the prior's support.
   *
   * @throws InvalidInputException when a row has the wrong size
   */
  public double[] logDensity(double[][] theta) {
    int n = theta.length;
    double[] out = new double[n];
    int inside = 0;
    for (double[] row : theta) {
      if (row.length != prior.dimension()) {
        throw new InvalidInputException("a parameter point has " + row.length + " values, but the prior has "
            + prior.dimension());
      }
      inside += prior.contains(row) ? 1 : 0;
    }
    double[][] batch = new double[inside][];
    int[] where = new int[inside];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (prior.contains(theta[i])) {
        batch[k] = theta[i];
        where[k++] = i;
      } else {
        out[i] = Double.NEGATIVE_INFINITY;
      }
    }
    if (inside > 0) {
      double[] ll = likelihood.logLikelihood(batch);
      points += inside;
      for (int j = 0; j < inside; j++) {
        double v = ll[j] + prior.logDensity(batch[j]);
        out[where[j]] = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
      }
    }
    return out;
  }
}
