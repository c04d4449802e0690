package org.sbgm.measure;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.inverse.GaussianMixturePosterior;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Posterior samples against the exact posterior: the error of their mean in units of the posterior's
 * spread, ‖μ̂ − μ‖₂ / √tr Σ, the relative error of their covariance, ‖Σ̂ − Σ‖_F / ‖Σ‖_F, and the MMD²
 * against as many exact draws, each beside its Monte-Carlo floor (the same statistic for exact draws of
 * the same size), so that what sampling alone explains can be read off.
 *
 * @param meanError ‖μ̂ − μ‖₂ / √tr Σ of the samples
 * @param covarianceError ‖Σ̂ − Σ‖_F / ‖Σ‖_F of the samples
 * @param mmd MMD²_u of the samples against exact draws
 * @param meanFloor the mean error of exact draws of the same size
 * @param covarianceFloor the covariance error of exact draws of the same size
 * @param mmdFloor MMD²_u between two independent sets of exact draws
 */
public record PosteriorComparison(double meanError, double covarianceError, double mmd, double meanFloor,
    double covarianceFloor, double mmdFloor) {

  /** {@code samples} ({@code [n, ...]}, flattening to D) against {@code exact}; exact draws come from {@code generator}. */
  public static PosteriorComparison of(GaussianMixturePosterior exact, Tensor samples, Generator generator) {
    try (PointerScope scope = new PointerScope()) {
      long n = samples.size(0);
      Tensor x = samples.reshape(n, -1).to(DType.FLOAT64.scalarType());
      Tensor truth = exact.sample(n, generator, Torch.options(DType.FLOAT64));
      Tensor other = exact.sample(n, generator, Torch.options(DType.FLOAT64));
      double[] mean = exact.mean();
      double[][] cov = exact.covariance();
      Mmd mmd = Mmd.medianHeuristic(truth);
      return new PosteriorComparison(meanError(x, mean, cov), covarianceError(x, cov), mmd.squared(x, truth),
          meanError(other, mean, cov), covarianceError(other, cov), mmd.squared(other, truth));
    }
  }

  /** ‖mean(x) − μ‖₂ / √tr Σ. */
  static double meanError(Tensor x, double[] mean, double[][] cov) {
    double[] m = Torch.toDoubles(x.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
    double e = 0;
    double trace = 0;
    for (int i = 0; i < m.length; i++) {
      e += (m[i] - mean[i]) * (m[i] - mean[i]);
      trace += cov[i][i];
    }
    return Math.sqrt(e / trace);
  }

  /** ‖cov(x) − Σ‖_F / ‖Σ‖_F (the sample covariance with n − 1). */
  static double covarianceError(Tensor x, double[][] cov) {
    int d = cov.length;
    long n = x.size(0);
    Tensor centred = x.sub(x.mean(new long[] {0}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
    double[] c = Torch.toDoubles(centred.t().matmul(centred).div(Torch.scalar(n - 1)));
    double e = 0;
    double norm = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double diff = c[i * d + j] - cov[i][j];
        e += diff * diff;
        norm += cov[i][j] * cov[i][j];
      }
    }
    return Math.sqrt(e / norm);
  }
}
