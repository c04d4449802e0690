package org.sbgm.data;

/** Dense Cholesky factorisation Σ = L Lᵀ of small symmetric positive-definite matrices, in double. */
final class Cholesky {
  private Cholesky() {}

  /**
   * The lower-triangular factor L of {@code a}.
   *
   * @throws IllegalArgumentException if {@code a} is not square, symmetric and positive definite
   */
  static double[][] factor(double[][] a, String what) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException(what + " must be a square " + n + "x" + n + " matrix, row " + i + " has " + a[i].length + " entries");
      }
      for (int j = 0; j < i; j++) {
        if (Math.abs(a[i][j] - a[j][i]) > 1e-12 * (Math.abs(a[i][j]) + Math.abs(a[j][i]) + 1e-300)) {
          throw new IllegalArgumentException(what + " must be symmetric, but entry (" + i + "," + j + ") = " + a[i][j]
              + " differs from (" + j + "," + i + ") = " + a[j][i]);
        }
      }
    }
    for (int j = 0; j < n; j++) {
      double d = a[j][j];
      for (int k = 0; k < j; k++) {
        d -= l[j][k] * l[j][k];
      }
      if (!(d > 0)) {
        throw new IllegalArgumentException(what + " must be positive definite, but its pivot " + j + " is " + d);
      }
      l[j][j] = Math.sqrt(d);
      for (int i = j + 1; i < n; i++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        l[i][j] = s / l[j][j];
      }
    }
    return l;
  }

  /** log det Σ = 2 Σ_i log L_ii. */
  static double logDet(double[][] l) {
    double s = 0;
    for (int i = 0; i < l.length; i++) {
      s += Math.log(l[i][i]);
    }
    return 2 * s;
  }

  /** The inverse of the lower-triangular L (also lower triangular). */
  static double[][] invertLower(double[][] l) {
    int n = l.length;
    double[][] inv = new double[n][n];
    for (int c = 0; c < n; c++) {
      for (int i = c; i < n; i++) {
        double s = i == c ? 1 : 0;
        for (int k = c; k < i; k++) {
          s -= l[i][k] * inv[k][c];
        }
        inv[i][c] = s / l[i][i];
      }
    }
    return inv;
  }

  /** log N(x; μ, L Lᵀ) in double. */
  static double logNormal(double[] x, double[] mean, double[][] l) {
    int n = x.length;
    double[] z = new double[n];
    double q = 0;
    for (int i = 0; i < n; i++) {
      double s = x[i] - mean[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * z[k];
      }
      z[i] = s / l[i][i];
      q += z[i] * z[i];
    }
    return -0.5 * q - 0.5 * logDet(l) - 0.5 * n * Math.log(2 * Math.PI);
  }
}
