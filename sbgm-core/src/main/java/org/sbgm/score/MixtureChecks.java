package org.sbgm.score;

import java.util.Arrays;

/** Validation of Gaussian-mixture parameters; each failure is one sentence naming the bad value. */
final class MixtureChecks {
  /** Tolerance on Σ w_k = 1. */
  static final double WEIGHT_TOLERANCE = 1e-9;
  /** Relative tolerance on Σ = Σᵀ. */
  static final double SYMMETRY_TOLERANCE = 1e-10;
  /** Largest accepted condition number λ_max/λ_min of a covariance. */
  static final double MAX_CONDITION = 1e12;

  private MixtureChecks() {}

  /** Checks the weights and returns K. */
  static int weights(double[] w) {
    if (w == null || w.length == 0) {
      throw new org.sbgm.InvalidInputException("a Gaussian mixture needs at least one weight, got "
          + (w == null ? "null" : "none"));
    }
    double sum = 0;
    for (int k = 0; k < w.length; k++) {
      if (!(w[k] > 0) || !Double.isFinite(w[k])) {
        throw new org.sbgm.InvalidInputException("weights[" + k + "] must be a finite number > 0, got " + w[k]);
      }
      sum += w[k];
    }
    if (!(Math.abs(sum - 1) <= WEIGHT_TOLERANCE)) {
      throw new org.sbgm.InvalidInputException("the weights must sum to 1 (within " + WEIGHT_TOLERANCE + "), got sum " + sum);
    }
    return w.length;
  }

  /** Checks K means of one dimension D ≥ 1 with finite entries and returns D. */
  static int means(double[][] means, int k) {
    if (means == null || means.length != k) {
      throw new org.sbgm.InvalidInputException("there must be one mean per weight (" + k + "), got "
          + (means == null ? "null" : means.length));
    }
    int d = means[0] == null ? 0 : means[0].length;
    if (d < 1) {
      throw new org.sbgm.InvalidInputException("means[0] must hold at least one value, got " + Arrays.toString(means[0]));
    }
    for (int i = 0; i < k; i++) {
      if (means[i] == null || means[i].length != d) {
        throw new org.sbgm.InvalidInputException("means[" + i + "] must have dimension " + d + " like means[0], got "
            + (means[i] == null ? "null" : means[i].length));
      }
      for (double v : means[i]) {
        if (!Double.isFinite(v)) {
          throw new org.sbgm.InvalidInputException("means[" + i + "] must be finite, got " + Arrays.toString(means[i]));
        }
      }
    }
    return d;
  }

  /** Checks K finite, symmetric D×D covariances and returns symmetrised copies. */
  static double[][][] covariances(double[][][] c, int k, int d) {
    if (c == null || c.length != k) {
      throw new org.sbgm.InvalidInputException("there must be one covariance per weight (" + k + "), got "
          + (c == null ? "null" : c.length));
    }
    double[][][] out = new double[k][d][d];
    for (int m = 0; m < k; m++) {
      if (c[m] == null || c[m].length != d) {
        throw new org.sbgm.InvalidInputException("covariances[" + m + "] must be " + d + "x" + d + " (the dimension of the means), got "
            + (c[m] == null ? "null" : c[m].length + " rows"));
      }
      double scale = 0;
      for (int i = 0; i < d; i++) {
        if (c[m][i] == null || c[m][i].length != d) {
          throw new org.sbgm.InvalidInputException("covariances[" + m + "][" + i + "] must have " + d + " entries, got "
              + (c[m][i] == null ? "null" : c[m][i].length));
        }
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(c[m][i][j])) {
            throw new org.sbgm.InvalidInputException("covariances[" + m + "][" + i + "][" + j + "] must be finite, got " + c[m][i][j]);
          }
          scale = Math.max(scale, Math.abs(c[m][i][j]));
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double gap = Math.abs(c[m][i][j] - c[m][j][i]);
          if (gap > SYMMETRY_TOLERANCE * scale) {
            throw new org.sbgm.InvalidInputException("covariances[" + m + "] must be symmetric, but entry [" + i + "][" + j + "] = "
                + c[m][i][j] + " differs from [" + j + "][" + i + "] = " + c[m][j][i]);
          }
          out[m][i][j] = 0.5 * (c[m][i][j] + c[m][j][i]);
        }
      }
    }
    return out;
  }

  /** Throws unless the eigenvalues (ascending) are positive with condition number at most 1e12. */
  static void positiveDefinite(double[] ascending, int k) {
    double min = ascending[0];
    double max = ascending[ascending.length - 1];
    if (!(min > 0) || !(max <= MAX_CONDITION * min)) {
      throw new org.sbgm.InvalidInputException("covariances[" + k + "] must be positive definite (condition number at most "
          + MAX_CONDITION + "), but its eigenvalues range from " + min + " to " + max);
    }
  }

  /** A deep copy. */
  static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
