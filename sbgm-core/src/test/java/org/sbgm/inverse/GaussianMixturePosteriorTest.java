package org.sbgm.inverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.measure.StudyMixtures;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The exact posterior against two independent routes: the information form of one Gaussian
 * (Σ' = (Σ⁻¹ + AᵀA/σ²)⁻¹, μ' = Σ'(Σ⁻¹μ + Aᵀy/σ²)), and, for a mixture, self-normalised importance
 * sampling of prior draws weighted by the likelihood N(y; Ax, σ² I).
 */
class GaussianMixturePosteriorTest {
  static {
    Torch.init();
  }

  @Test
  void oneGaussianMatchesTheInformationForm() {
    try (PointerScope scope = new PointerScope()) {
      GaussianMixture prior = StudyMixtures.anisotropic(6, 1, 1, 0.05);
      Tensor a = Torch.randn(new long[] {3, 6}, Torch.generator(2), Torch.options(DType.FLOAT64));
      DenseMatrix op = new DenseMatrix(a, new long[] {6});
      double s = 0.3;
      Observation obs = Observation.of(op, prior.sample(1, Torch.generator(3), Torch.options(DType.FLOAT64)).reshape(6), s,
          Torch.generator(4));
      GaussianMixturePosterior exact = GaussianMixturePosterior.of(prior, obs);
      Tensor sigma = Torch.tensor(flat(prior.covariance(0)), DType.FLOAT64, 6, 6);
      Tensor mu = Torch.tensor(prior.mean(0), DType.FLOAT64, 6, 1);
      Tensor precision = torch.inverse(sigma).add(a.t().matmul(a).div(Torch.scalar(s * s)));
      Tensor cov = torch.inverse(precision);
      Tensor mean = cov.matmul(torch.inverse(sigma).matmul(mu).add(a.t().matmul(obs.y().reshape(3, 1)).div(Torch.scalar(s * s))));
      double[] m = Torch.toDoubles(mean);
      double[] c = Torch.toDoubles(cov);
      double[][] ec = exact.covariance();
      for (int i = 0; i < 6; i++) {
        assertEquals(m[i], exact.mean()[i], 1e-10);
        for (int j = 0; j < 6; j++) {
          assertEquals(c[i * 6 + j], ec[i][j], 1e-10);
        }
      }
    }
  }

  @Test
  void aMixtureMatchesImportanceSampling() {
    try (PointerScope scope = new PointerScope()) {
      GaussianMixture prior = StudyMixtures.anisotropic(4, 3, 0.7, 0.1);
      double[] m = {1, 0, 1, 0};
      Mask mask = new Mask(Torch.tensor(m, DType.FLOAT64, 4));
      double s = 0.4;
      Observation obs = new Observation(mask, Torch.tensor(new double[] {0.3, 0, -0.5, 0}, DType.FLOAT64, 4), s);
      GaussianMixturePosterior exact = GaussianMixturePosterior.of(prior, obs);
      int n = 400_000;
      Tensor x = prior.sample(n, Torch.generator(5), Torch.options(DType.FLOAT64));
      Tensor logw = Torch.sumPerSample(mask.apply(x).sub(obs.batched(x)).square()).mul(Torch.scalar(-0.5 / (s * s)));
      Tensor w = torch.softmax(logw, 0);
      double[] mean = Torch.toDoubles(x.mul(w.unsqueeze(1)).sum(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
      double ess = 1 / w.square().sum().item_double();
      for (int i = 0; i < 4; i++) {
        double se = Math.sqrt(exact.covariance()[i][i] / ess);
        assertEquals(exact.mean()[i], mean[i], 5 * se, "posterior mean " + i + " (ESS " + ess + ")");
      }
    }
  }

  @Test
  void noiselessOrMismatchedProblemsAreRefused() {
    GaussianMixture prior = StudyMixtures.anisotropic(4, 2, 1, 0.1);
    GaussianBlur blur = new GaussianBlur(new long[] {4}, 1);
    assertThrows(InvalidInputException.class, () -> GaussianMixturePosterior.of(prior,
        new Observation(blur, Torch.full(new long[] {4}, 0, Torch.options(DType.FLOAT64)), 0)));
    GaussianBlur wide = new GaussianBlur(new long[] {5}, 1);
    assertThrows(InvalidInputException.class, () -> GaussianMixturePosterior.of(prior,
        new Observation(wide, Torch.full(new long[] {5}, 0, Torch.options(DType.FLOAT64)), 0.1)));
  }

  private static double[] flat(double[][] m) {
    double[] out = new double[m.length * m.length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m.length, m.length);
    }
    return out;
  }
}
