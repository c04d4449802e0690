package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.sde.Sde;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class GaussianMixtureScoreTest {
  private static int threadsBefore;

  static {
    Torch.init();
  }

  /** Small tensors: one intra-op thread avoids stalls on a busy machine (restored afterwards). */
  @BeforeAll
  static void oneThread() {
    threadsBefore = Torch.threads();
    Torch.setThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    Torch.setThreads(threadsBefore);
  }

  record Case(String name, double[] w, double[][] mu, double[][][] sigma, Sde sde) {
    GaussianMixtureScore oracle() {
      return new GaussianMixtureScore(w, mu, sigma, sde);
    }

    int dim() {
      return mu[0].length;
    }

    @Override
    public String toString() {
      return name + " " + sde;
    }
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Sde sde : List.of(new VpSde(), new SubVpSde(), new VeSde())) {
      out.add(new Case("2-D, 3 components", Mixtures.W2, Mixtures.MU2, Mixtures.SIGMA2, sde));
      out.add(new Case("4-D anisotropic", Mixtures.W4, Mixtures.MU4, Mixtures.SIGMA4, sde));
    }
    return out;
  }

  private static Tensor points(int n, int d, long seed) {
    return Torch.randn(new long[] {n, d}, Torch.generator(seed), Torch.options(DType.FLOAT64)).mul(Torch.scalar(1.5));
  }

  /** U[0, 1) draws (Torch.rand passes a null DimnameListOptional, which libtorch rejects; so call torch here). */
  private static Tensor uniform(int n, long seed) {
    return torch.rand(new long[] {n}, new GeneratorOptional(Torch.generator(seed)), Torch.options(DType.FLOAT64));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void scoreIsTheAutogradGradientOfTheLogDensity(Case c) {
    GaussianMixtureScore oracle = c.oracle();
    try (PointerScope s = new PointerScope()) {
      Tensor x = points(64, c.dim(), 11).requires_grad_(true);
      Tensor t = uniform(64, 12)
          .mul(Torch.scalar(0.999 * c.sde().horizon())).add(Torch.scalar(1e-3 * c.sde().horizon()));
      Tensor logP = oracle.logDensity(x, t);
      Tensor grad = torch.grad(new TensorVector(logP.sum()), new TensorVector(x)).get(0);
      double[] expected = Torch.toDoubles(grad);
      double[] actual = Torch.toDoubles(oracle.score(x, t, Condition.NONE));
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
      }
      System.out.printf("%s: max relative |score - autograd| = %.2e%n", c, worst);
      assertEquals(0, worst, 1e-10, c + ": score vs autograd");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void scoreMatchesFiniteDifferencesAndTheLogDensityMatchesPlainJava(Case c) {
    GaussianMixtureScore oracle = c.oracle();
    int d = c.dim();
    double h = 1e-5;
    double worstFd = 0;
    double worstLog = 0;
    try (PointerScope s = new PointerScope()) {
      Tensor x = points(8, d, 21);
      double[] xs = Torch.toDoubles(x);
      for (double frac : new double[] {0, 0.01, 0.3, 0.8, 1}) {
        double t = frac * c.sde().horizon();
        double[] score = Torch.toDoubles(oracle.score(x, t));
        double[] logP = Torch.toDoubles(oracle.logDensity(x, t));
        for (int b = 0; b < 8; b++) {
          double[] xb = java.util.Arrays.copyOfRange(xs, b * d, (b + 1) * d);
          double independent = Mixtures.logDensity(c.w(), c.mu(), c.sigma(), c.sde().meanCoefficient(t),
              c.sde().marginalStd(t), xb);
          worstLog = Math.max(worstLog, Math.abs(independent - logP[b]) / Math.max(1, Math.abs(independent)));
        }
        for (int i = 0; i < d; i++) {
          Tensor e = Torch.tensor(unit(d, i, h), 1, d);
          double[] up = Torch.toDoubles(oracle.logDensity(x.add(e), t));
          double[] down = Torch.toDoubles(oracle.logDensity(x.sub(e), t));
          for (int b = 0; b < 8; b++) {
            double fd = (up[b] - down[b]) / (2 * h);
            worstFd = Math.max(worstFd, Math.abs(fd - score[b * d + i]) / Math.max(1, Math.abs(fd)));
          }
        }
      }
    }
    System.out.printf("%s: max relative |score - FD| = %.2e, |log p - plain Java| = %.2e%n", c, worstFd, worstLog);
    assertEquals(0, worstFd, 1e-7, c + ": score vs central differences");
    assertEquals(0, worstLog, 1e-12, c + ": log p_t vs an independent Cholesky evaluation");
  }

  private static double[] unit(int d, int i, double h) {
    double[] e = new double[d];
    e[i] = h;
    return e;
  }

  @Test
  void logDensityIsNormalisedOnAGrid() {
    int n = 481;
    double lim = 12;
    double step = 2 * lim / (n - 1);
    double[] grid = new double[2 * n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        grid[2 * (i * n + j)] = -lim + i * step;
        grid[2 * (i * n + j) + 1] = -lim + j * step;
      }
    }
    Object[][] settings = {{new VpSde(), 0.0}, {new SubVpSde(), 0.5}, {new VeSde(), 0.3}};
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.tensor(grid, n * n, 2);
      for (Object[] setting : settings) {
        Sde sde = (Sde) setting[0];
        double t = (Double) setting[1];
        GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.W2, Mixtures.MU2, Mixtures.SIGMA2, sde);
        double mass = oracle.logDensity(x, t).exp().sum().item_double() * step * step;
        System.out.printf("%s t=%.1f: mass on the grid = %.12f%n", sde, t, mass);
        assertEquals(1.0, mass, 1e-4, sde + " at t=" + t + ": p_t integrates to 1");
      }
      GaussianMixture data = new GaussianMixture(Mixtures.W2, Mixtures.MU2, Mixtures.SIGMA2);
      assertEquals(1.0, data.logDensity(x).exp().sum().item_double() * step * step, 1e-4);
    }
  }

  @Test
  void samplesHaveTheMixtureMoments() {
    for (Case c : List.of(cases().get(0), cases().get(1))) {
      int d = c.dim();
      int n = 20000;
      double[] mean = new double[d];
      double[][] cov = new double[d][d];
      for (int k = 0; k < c.w().length; k++) {
        for (int i = 0; i < d; i++) {
          mean[i] += c.w()[k] * c.mu()[k][i];
        }
      }
      for (int k = 0; k < c.w().length; k++) {
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            cov[i][j] += c.w()[k] * (c.sigma()[k][i][j] + (c.mu()[k][i] - mean[i]) * (c.mu()[k][j] - mean[j]));
          }
        }
      }
      GaussianMixtureScore oracle = c.oracle();
      try (PointerScope s = new PointerScope()) {
        Generator g = Torch.generator(31);
        double[] v = Torch.toDoubles(oracle.sample(n, g, Torch.options(DType.FLOAT64)));
        double[] m = new double[d];
        for (int p = 0; p < n; p++) {
          for (int i = 0; i < d; i++) {
            m[i] += v[p * d + i] / n;
          }
        }
        for (int i = 0; i < d; i++) {
          assertEquals(mean[i], m[i], 4.5 * Math.sqrt(cov[i][i] / n), c.name() + ": sample mean " + i);
          assertEquals(mean[i], oracle.mixture().mean()[i], 1e-12);
          for (int j = 0; j < d; j++) {
            double sc = 0;
            for (int p = 0; p < n; p++) {
              sc += (v[p * d + i] - m[i]) * (v[p * d + j] - m[j]);
            }
            sc /= n - 1;
            double se = Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] * cov[i][j]) / n);
            assertEquals(cov[i][j], sc, 6 * se, c.name() + ": sample covariance [" + i + "][" + j + "]");
            assertEquals(cov[i][j], oracle.mixture().covariance()[i][j], 1e-12);
          }
        }
        double[] again = Torch.toDoubles(oracle.sample(n, Torch.generator(31), Torch.options(DType.FLOAT64)));
        assertArrayEquals(v, again, 0.0, "the same seed replays the draws");
        assertEquals(torch.ScalarType.Float, oracle.sample(3, g, null).scalar_type().intern());
      }
    }
  }

  @Test
  void float32AndImageShapedInputs() {
    GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.W4, Mixtures.MU4, Mixtures.SIGMA4, new VpSde());
    try (PointerScope s = new PointerScope()) {
      Tensor x = points(16, 4, 41);
      Tensor t = Torch.tensor(new double[] {0.3}, 1).expand(16).contiguous();
      double[] s64 = Torch.toDoubles(oracle.score(x, t, Condition.NONE));
      assertArrayEquals(s64, Torch.toDoubles(oracle.score(x, 0.3)), 1e-13, "scalar and per-sample t agree");
      Tensor x32 = x.to(torch.ScalarType.Float).reshape(16, 1, 2, 2);
      Tensor s32 = oracle.score(x32, Torch.tensor(new double[] {0.3}, DType.FLOAT32, 1), Condition.NONE);
      assertEquals(torch.ScalarType.Float, s32.scalar_type().intern());
      assertArrayEquals(new long[] {16, 1, 2, 2}, Torch.shape(s32));
      double[] f = Torch.toDoubles(s32);
      for (int i = 0; i < f.length; i++) {
        assertEquals(s64[i], f[i], 1e-5 * Math.max(1, Math.abs(s64[i])));
      }
      assertEquals(torch.ScalarType.Float, oracle.logDensity(x32, 0.3).scalar_type().intern());
    }
  }

  @Test
  void scoreAtTimeZeroIsTheDataScore() {
    GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.W2, Mixtures.MU2, Mixtures.SIGMA2, new VeSde());
    try (PointerScope s = new PointerScope()) {
      Tensor x = points(10, 2, 51);
      assertArrayEquals(Torch.toDoubles(oracle.mixture().score(x)), Torch.toDoubles(oracle.score(x, 0.0)), 1e-12);
      assertArrayEquals(Torch.toDoubles(oracle.mixture().logDensity(x)), Torch.toDoubles(oracle.logDensity(x, 0.0)), 1e-12);
    }
  }

  @Test
  void batchOf4096WithEightComponentsInFourDimensions() {
    double[] w = new double[8];
    double[][] mu = new double[8][4];
    double[][][] sigma = new double[8][][];
    for (int k = 0; k < 8; k++) {
      w[k] = 1.0 / 8;
      mu[k][k % 4] = k < 4 ? 2 : -2;
      sigma[k] = Mixtures.SIGMA4[k % 2];
    }
    GaussianMixtureScore oracle = new GaussianMixtureScore(w, mu, sigma, new VpSde());
    try (PointerScope s = new PointerScope()) {
      Tensor x = points(4096, 4, 61);
      Tensor t = uniform(4096, 62);
      for (int i = 0; i < 5; i++) {
        oracle.score(x, t, Condition.NONE);
      }
      int reps = 50;
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        try (PointerScope inner = new PointerScope()) {
          oracle.score(x, t, Condition.NONE);
        }
      }
      double ms = (System.nanoTime() - start) / 1e6 / reps;
      System.out.printf("score, B=4096, K=8, D=4, float64, per-sample t, 1 thread: %.2f ms per call%n", ms);
      assertTrue(Torch.allFinite(oracle.score(x, t, Condition.NONE)));
      double[] logP = Torch.toDoubles(oracle.logDensity(x, t));
      double[] xs = Torch.toDoubles(x);
      double[] ts = Torch.toDoubles(t);
      for (int b = 0; b < 4096; b += 409) {
        double expected = Mixtures.logDensity(w, mu, sigma, oracle.sde().meanCoefficient(ts[b]),
            oracle.sde().marginalStd(ts[b]), java.util.Arrays.copyOfRange(xs, 4 * b, 4 * b + 4));
        assertEquals(expected, logP[b], 1e-12 * Math.max(1, Math.abs(expected)));
      }
    }
  }
}
