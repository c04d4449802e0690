package org.sbgm.score;

/** Test mixtures and an independent plain-Java log-density (Cholesky per component). */
final class Mixtures {
  private Mixtures() {}

  static final double[] W2 = {0.5, 0.3, 0.2};
  static final double[][] MU2 = {{-1.5, 0.5}, {1.0, 1.0}, {0.5, -1.5}};
  static final double[][][] SIGMA2 = {
      {{0.3, 0.1}, {0.1, 0.2}}, {{0.5, -0.2}, {-0.2, 0.4}}, {{0.15, 0.0}, {0.0, 0.6}}};

  static final double[] W4 = {0.6, 0.4};
  static final double[][] MU4 = {{1.0, 0.0, -1.0, 0.5}, {-1.0, 1.0, 0.5, 0.0}};
  static final double[][][] SIGMA4 = {
      gram(new double[][] {{1.0, 0.3, 0.0, 0.2}, {0.0, 0.8, -0.4, 0.0}, {0.1, 0.0, 0.6, 0.3}, {0.0, 0.2, 0.0, 0.5}}),
      gram(new double[][] {{0.4, 0.0, 0.3, 0.0}, {0.2, 1.1, 0.0, -0.3}, {0.0, 0.1, 0.7, 0.0}, {0.3, 0.0, -0.2, 0.9}})};

  /** A Aᵀ + 0.05 I: symmetric positive definite with non-zero off-diagonals. */
  static double[][] gram(double[][] a) {
    int d = a.length;
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          out[i][j] += a[i][k] * a[j][k];
        }
      }
      out[i][i] += 0.05;
    }
    return out;
  }

  /** log Σ_k w_k N(x; a μ_k, a² Σ_k + s² I), by Cholesky and log-sum-exp in plain Java. */
  static double logDensity(double[] w, double[][] mu, double[][][] sigma, double a, double s, double[] x) {
    int d = x.length;
    double[] logs = new double[w.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < w.length; k++) {
      double[][] c = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] = a * a * sigma[k][i][j] + (i == j ? s * s : 0);
        }
      }
      double[][] l = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          double sum = c[i][j];
          for (int p = 0; p < j; p++) {
            sum -= l[i][p] * l[j][p];
          }
          l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
        }
      }
      double[] y = new double[d];
      double quad = 0;
      double logDet = 0;
      for (int i = 0; i < d; i++) {
        double sum = x[i] - a * mu[k][i];
        for (int p = 0; p < i; p++) {
          sum -= l[i][p] * y[p];
        }
        y[i] = sum / l[i][i];
        quad += y[i] * y[i];
        logDet += 2 * Math.log(l[i][i]);
      }
      logs[k] = Math.log(w[k]) - 0.5 * (quad + logDet + d * Math.log(2 * Math.PI));
      max = Math.max(max, logs[k]);
    }
    double sum = 0;
    for (double v : logs) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }
}
