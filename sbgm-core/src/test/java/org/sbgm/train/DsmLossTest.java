package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.score.Condition;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Oracle tests of the DSM loss with the exact score of Gaussian data. For x₀ ~ N(0, s² I) under VP,
 * x_t ~ N(0, v I), v = m²s² + σ², s* = -x_t/v and σ s* + z = m(m s² z - σ x₀)/v, so per dimension
 * E (σ s* + z)² = m²(m²s⁴ + σ²s²)/v² = m² s² / v. Hence the σ²-weighted loss is (1/(T-ε)) ∫ m²s²/v dt and the g²-weighted one
 * (1/(T-ε)) ∫ (g²/σ²) m²s²/v dt, both by quadrature here.
 */
class DsmLossTest {
  static final double S = 2.0;
  static final int D = 3;
  static final int N = 200_000;
  static final TestVpSde SDE = new TestVpSde();

  @BeforeAll
  static void init() {
    Torch.init();
  }

  /** (1/(T-ε)) ∫_ε^T f(t) dt by composite Simpson in log t (the integrands behave like 1/t at 0). */
  static double average(DoubleUnaryOperator f, double eps) {
    int n = 40_000;
    double a = Math.log(eps);
    double b = Math.log(SDE.horizon());
    double h = (b - a) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double t = Math.exp(a + i * h);
      double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
      sum += w * f.applyAsDouble(t) * t;
    }
    return sum * h / 3 / (SDE.horizon() - eps);
  }

  static double residualMean(double t) {
    double m = SDE.meanCoefficient(t);
    double s = SDE.marginalStd(t);
    double v = m * m * S * S + s * s;
    return m * m * S * S / v;
  }

  static double gOverSigma2(double t) {
    double g = SDE.diffusion(t);
    double s = SDE.marginalStd(t);
    return g * g / (s * s);
  }

  /** Mean and standard error of per-sample losses drawn with fresh generators seeded by {@code seed}. */
  static double[] estimate(Parameterisation p, double scale, Weighting w, double eps, boolean stratified, long seed) {
    ScoreModel model = new ScoreModel(new ExactGaussianNetwork(SDE, S, p, scale), SDE, p);
    DsmLoss loss = new DsmLoss(model, w, new TimeSampler(eps, 1.0, stratified));
    Generator data = Torch.generator(seed);
    Generator times = Torch.generator(seed + 1);
    Generator noise = Torch.generator(seed + 2);
    try (PointerScope scope = new PointerScope()) {
      Tensor x0 = Torch.randn(new long[] {N, D}, data, Torch.options(DType.FLOAT64)).mul(Torch.scalar(S));
      DsmLoss.Result r = loss.compute(x0, Condition.NONE, times, noise);
      double[] per = Torch.toDoubles(r.perSample());
      double mean = 0;
      for (double v : per) {
        mean += v;
      }
      mean /= per.length;
      double var = 0;
      for (double v : per) {
        var += (v - mean) * (v - mean);
      }
      var /= per.length - 1;
      assertEquals(mean, r.loss().item_double(), 1e-9 * Math.abs(mean), "loss is the mean of the per-sample losses");
      return new double[] {mean, Math.sqrt(var / per.length), Math.sqrt(var)};
    } finally {
      data.close();
      times.close();
      noise.close();
    }
  }

  @Test
  void sigmaSquaredLossOfExactScoreMatchesClosedForm() {
    double eps = 1e-5;
    double expected = average(DsmLossTest::residualMean, eps);
    for (Parameterisation p : Parameterisation.values()) {
      for (boolean stratified : new boolean[] {false, true}) {
        double[] e = estimate(p, 1.0, Weighting.SIGMA_SQUARED, eps, stratified, 11);
        System.out.printf("sigma2 %s stratified=%b: MC %.5f +- %.5f, closed form %.5f%n", p, stratified, e[0], e[1],
            expected);
        assertEquals(expected, e[0], 4 * e[1], p + " stratified=" + stratified);
      }
    }
    // A wrong score (30% too large) is detected far beyond the Monte-Carlo error.
    double[] wrong = estimate(Parameterisation.EPSILON, 1.3, Weighting.SIGMA_SQUARED, eps, true, 11);
    System.out.printf("sigma2 with a 30%% wrong score: MC %.5f +- %.5f%n", wrong[0], wrong[1]);
    assertTrue(wrong[0] - expected > 10 * wrong[1], "a 30% wrong score must raise the loss: " + wrong[0]);
  }

  @Test
  void bothParameterisationsGiveTheSameResidual() {
    double[] a = estimate(Parameterisation.EPSILON, 1.0, Weighting.SIGMA_SQUARED, 1e-5, true, 5);
    double[] b = estimate(Parameterisation.SCORE, 1.0, Weighting.SIGMA_SQUARED, 1e-5, true, 5);
    assertEquals(a[0], b[0], 1e-9 * a[0]);
  }

  @Test
  void importanceSampledLikelihoodWeightingIsUnbiased() {
    double eps = 1e-3;
    double expected = average(t -> gOverSigma2(t) * residualMean(t), eps);
    double[] is = estimate(Parameterisation.EPSILON, 1.0, Weighting.LIKELIHOOD, eps, true, 21);
    double[] plain = estimate(Parameterisation.EPSILON, 1.0, Weighting.LIKELIHOOD_UNIFORM, eps, false, 21);
    System.out.printf("likelihood eps=%.0e: IS %.5f +- %.5f (sd %.3f), plain %.5f +- %.5f (sd %.3f), quadrature %.5f%n",
        eps, is[0], is[1], is[2], plain[0], plain[1], plain[2], expected);
    assertEquals(expected, is[0], 4 * is[1]);
    assertEquals(expected, plain[0], 4 * plain[1]);
    assertEquals(plain[0], is[0], 4 * Math.hypot(is[1], plain[1]));
    assertTrue(is[2] < plain[2] / 3, "importance sampling must cut the variance of the per-sample loss 9-fold");

    double small = 1e-5;
    double expectedSmall = average(t -> gOverSigma2(t) * residualMean(t), small);
    double[] isSmall = estimate(Parameterisation.SCORE, 1.0, Weighting.LIKELIHOOD, small, false, 31);
    System.out.printf("likelihood eps=1e-5: IS %.5f +- %.5f, quadrature %.5f%n", isSmall[0], isSmall[1], expectedSmall);
    assertEquals(expectedSmall, isSmall[0], 4 * isSmall[1]);
  }

  @Test
  void importanceDensityIsExactForItsOwnProposal() {
    double eps = 1e-5;
    ImportanceTimeDensity d = new ImportanceTimeDensity(DsmLossTest::gOverSigma2, eps, 1.0, 4096);
    // VP closed form: ∫ β/(1 - e^{-B}) dt = log(e^{B(T)} - 1) - log(e^{B(ε)} - 1).
    double z = Math.log(Math.expm1(TestVpSde.integral(1.0))) - Math.log(Math.expm1(TestVpSde.integral(eps)));
    assertEquals(z, d.normaliser(), 1e-5 * z);
    // E_u[ratio(t(u)) h(t(u))] = (1/(T-ε)) ∫ w h dt for any h (midpoint rule in u, exact per cell up to h's curvature).
    int n = 400_000;
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = (i + 0.5) / n;
    }
    double[] t = new double[n];
    double[] ratio = new double[n];
    d.sample(u, t, ratio);
    double lhs = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < n; i++) {
      assertTrue(t[i] >= eps && t[i] <= 1.0);
      if (i > 0) {
        assertTrue(t[i] > t[i - 1], "inverse CDF must increase");
      }
      lhs += ratio[i] * residualMean(t[i]);
      min = Math.min(min, ratio[i]);
      max = Math.max(max, ratio[i]);
    }
    lhs /= n;
    double rhs = average(tt -> gOverSigma2(tt) * residualMean(tt), eps);
    assertEquals(rhs, lhs, 1e-6 * rhs);
    assertTrue(max / min < 1.01, "importance weights nearly constant, got spread " + max / min);
  }

  @Test
  void sigmaSquaredWeightingNeedsNoFactorAndUserWeightingsApply() {
    ScoreModel model = new ScoreModel(new ExactGaussianNetwork(SDE, S, Parameterisation.EPSILON, 1.0), SDE);
    try (PointerScope scope = new PointerScope()) {
      Tensor like = Torch.tensor(new double[] {0}, DType.FLOAT32, 1);
      DsmLoss sigma2 = new DsmLoss(model, Weighting.SIGMA_SQUARED, new TimeSampler(1e-5, 1, true));
      assertNull(sigma2.draw(8, Torch.generator(1), like).factor());
      DsmLoss user = new DsmLoss(model, Weighting.of("two-sigma2", t -> 2 * Math.pow(SDE.marginalStd(t), 2)),
          new TimeSampler(1e-5, 1, true));
      DsmLoss.Times a = user.draw(8, Torch.generator(1), like);
      DsmLoss.Times b = sigma2.draw(8, Torch.generator(1), like);
      assertArrayEquals(Torch.toDoubles(b.t()), Torch.toDoubles(a.t()), 0.0);
      for (double f : Torch.toDoubles(a.factor())) {
        assertEquals(2.0, f, 1e-6);
      }
    }
  }
}
