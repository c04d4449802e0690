package org.sbgm.measure;

import java.util.Random;
import org.sbgm.InvalidInputException;
import org.sbgm.score.GaussianMixture;

/**
 * The Gaussian-mixture oracles of the measurements: a 2-D mixture of three correlated components and
 * an anisotropic D-dimensional mixture, both fixed (the same numbers on every machine).
 */
public final class StudyMixtures {
  private StudyMixtures() {}

  /** The 2-D mixture: weights 0.5, 0.3, 0.2, means (−2, 0.5), (1.5, 1.5), (1, −2), correlated covariances. */
  public static GaussianMixture twoD() {
    return new GaussianMixture(
        new double[] {0.5, 0.3, 0.2},
        new double[][] {{-2.0, 0.5}, {1.5, 1.5}, {1.0, -2.0}},
        new double[][][] {
          {{0.30, 0.10}, {0.10, 0.20}},
          {{0.15, -0.05}, {-0.05, 0.40}},
          {{0.50, 0.20}, {0.20, 0.25}}
        });
  }

  /**
   * The anisotropic mixture in {@code dimension} dimensions of the sampler measurements: three components
   * with weights 0.5, 0.3, 0.2, means drawn once from N(0, 2² I) (java.util.Random, seed 11), and covariances U Λ Uᵀ with
   * eigenvalues log-spaced from 1e-4 to 1 and a random rotation U per component (Gram–Schmidt of a
   * Gaussian matrix): condition number 10⁴ in every component, a thin cloud around a hyperplane as image data are.
   *
   * @throws InvalidInputException when dimension &lt; 2
   */
  public static GaussianMixture anisotropic(int dimension) {
    return anisotropic(dimension, 3, 2, 1e-4);
  }

  /**
   * {@code components} components in {@code dimension} dimensions (weights 0.5, 0.3, 0.2 for three, else
   * equal), means drawn once from
   * N(0, meanScale² I) (java.util.Random, seed 11) and covariances U Λ Uᵀ with eigenvalues log-spaced from
   * {@code smallestEigenvalue} to 1 and a random rotation U per component.
   *
   * @throws InvalidInputException when dimension &lt; 2, components &lt; 1 or the eigenvalue is not in (0, 1]
   */
  public static GaussianMixture anisotropic(int dimension, int components, double meanScale, double smallestEigenvalue) {
    if (components < 1 || !(smallestEigenvalue > 0 && smallestEigenvalue <= 1)) {
      throw new InvalidInputException("the anisotropic mixture needs at least one component and a smallest eigenvalue in "
          + "(0, 1], got " + components + " and " + smallestEigenvalue);
    }
    if (dimension < 2) {
      throw new InvalidInputException("the anisotropic mixture needs at least 2 dimensions, got " + dimension);
    }
    Random r = new Random(11);
    int k = components;
    double logMin = Math.log10(smallestEigenvalue);
    double[][] means = new double[k][dimension];
    double[][][] cov = new double[k][][];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < dimension; i++) {
        means[c][i] = meanScale * r.nextGaussian();
      }
      double[][] u = rotation(dimension, r);
      cov[c] = new double[dimension][dimension];
      for (int e = 0; e < dimension; e++) {
        double lambda = Math.pow(10, logMin - logMin * e / (dimension - 1));
        for (int i = 0; i < dimension; i++) {
          for (int j = 0; j < dimension; j++) {
            cov[c][i][j] += lambda * u[e][i] * u[e][j];
          }
        }
      }
    }
    double[] weights = new double[k];
    if (k == 3) {
      weights = new double[] {0.5, 0.3, 0.2};
    } else {
      java.util.Arrays.fill(weights, 1.0 / k);
    }
    return new GaussianMixture(weights, means, cov);
  }

  /** The rows of an orthonormal matrix: Gram–Schmidt of Gaussian rows. */
  private static double[][] rotation(int d, Random r) {
    double[][] q = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int i = 0; i < d; i++) {
        q[a][i] = r.nextGaussian();
      }
      for (int b = 0; b < a; b++) {
        double dot = 0;
        for (int i = 0; i < d; i++) {
          dot += q[a][i] * q[b][i];
        }
        for (int i = 0; i < d; i++) {
          q[a][i] -= dot * q[b][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < d; i++) {
        norm += q[a][i] * q[a][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < d; i++) {
        q[a][i] /= norm;
      }
    }
    return q;
  }
}
