package org.sbgm.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.likelihood.OracleMixtures;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.PidController;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Every sampler against the exact 2-D mixture under VP, sub-VP and VE: moments within Monte-Carlo
 * error and a kernel two-sample test against exact draws, which each sampler fails with a wrong score.
 */
class SamplerOracleTest {
  private static final int N = 2000;
  private static int threads;

  @BeforeAll
  static void oneThread() {
    threads = Torch.threads();
    Torch.setThreads(1);
  }

  @AfterAll
  static void restore() {
    Torch.setThreads(threads);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    Sde[] sdes = {new VpSde(), new SubVpSde(), new VeSde(0.01, 10)};
    String[] names = {"VP", "sub-VP", "VE"};
    for (int i = 0; i < sdes.length; i++) {
      b.add(Arguments.of(names[i] + " Euler-Maruyama", sdes[i], new EulerMaruyama(1000).withDType(DType.FLOAT64)));
      b.add(Arguments.of(names[i] + " predictor-corrector", sdes[i], new PredictorCorrector(250).withDType(DType.FLOAT64)));
      b.add(Arguments.of(names[i] + " stochastic Heun", sdes[i], new StochasticHeun(500).withDType(DType.FLOAT64)));
      b.add(Arguments.of(names[i] + " probability flow", sdes[i], new ProbabilityFlow().withDType(DType.FLOAT64)));
      for (Sampler few : fewStep()) {
        b.add(Arguments.of(names[i] + " " + describe(few), sdes[i], few));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void samplesMatchTheMixture(String name, Sde sde, Sampler sampler) {
    GaussianMixture mixture = OracleMixtures.twoD();
    GaussianMixtureScore oracle = new GaussianMixtureScore(mixture, sde);
    try (PointerScope s = new PointerScope()) {
      Samples out = sampler.sample(oracle, N, new long[] {2}, Condition.NONE, Torch.generator(2024));
      double[] x = Torch.toDoubles(out.x());
      assertEquals(2 * N, x.length);
      double[] mean = mixture.mean();
      double[][] cov = mixture.covariance();
      double[] m = new double[2];
      double[][] c = new double[2][2];
      for (int i = 0; i < N; i++) {
        for (int a = 0; a < 2; a++) {
          m[a] += x[2 * i + a] / N;
        }
      }
      for (int i = 0; i < N; i++) {
        for (int a = 0; a < 2; a++) {
          for (int b = 0; b < 2; b++) {
            c[a][b] += (x[2 * i + a] - m[a]) * (x[2 * i + b] - m[b]) / (N - 1);
          }
        }
      }
      for (int a = 0; a < 2; a++) {
        double se = Math.sqrt(cov[a][a] / N);
        assertEquals(mean[a], m[a], 4 * se, name + " mean[" + a + "]");
        for (int b = 0; b < 2; b++) {
          // Var of a sample covariance entry ≈ (Σ_aa Σ_bb + Σ_ab²)/N for near-Gaussian data; mixtures
          // have heavier tails, so allow 5 such standard errors.
          double seCov = Math.sqrt((cov[a][a] * cov[b][b] + cov[a][b] * cov[a][b]) / N);
          assertEquals(cov[a][b], c[a][b], 5 * seCov, name + " cov[" + a + "][" + b + "]");
        }
      }
      Tensor truth = oracle.sample(N, Torch.generator(77), Torch.options(DType.FLOAT64));
      double p = Mmd.pValue(out.x(), truth, 200, Torch.generator(5));
      System.out.printf("%s: NFE %d, mean (%.3f, %.3f) vs (%.3f, %.3f), MMD p-value %.3f%n",
          name, out.nfe(), m[0], m[1], mean[0], mean[1], p);
      assertTrue(p > 0.01, name + ": the two-sample test rejected the sampler (p=" + p + ")");
    }
  }

  static Stream<Arguments> samplers() {
    return Stream.of(
        Arguments.of("Euler-Maruyama", new EulerMaruyama(1000).withDType(DType.FLOAT64)),
        Arguments.of("predictor-corrector", new PredictorCorrector(250).withDType(DType.FLOAT64)),
        Arguments.of("stochastic Heun", new StochasticHeun(500).withDType(DType.FLOAT64)),
        Arguments.of("probability flow", new ProbabilityFlow().withDType(DType.FLOAT64)),
        Arguments.of("DDIM", fewStep()[0]), Arguments.of("DDIM eta=1", fewStep()[1]), Arguments.of("EDM Heun", fewStep()[2]),
        Arguments.of("EDM Heun with churn", fewStep()[3]), Arguments.of("DPM-Solver++(2M)", fewStep()[4]),
        Arguments.of("SDE-DPM-Solver++(2M)", fewStep()[5]));
  }

  /** The few-step samplers, deterministic and stochastic, each with enough steps to be exact within the tests' resolution. */
  static Sampler[] fewStep() {
    return new Sampler[] {
      new Ddim(100).withDType(DType.FLOAT64),
      new Ddim(200, 1, 1e-3, TimeGrid.uniform(), DType.FLOAT64, null),
      new EdmHeun(50).withDType(DType.FLOAT64),
      new EdmHeun(100, new EdmHeun.Churn(40, 0.05, 50, 1.0), 1e-3, TimeGrid.karras(7), DType.FLOAT64, null),
      new DpmSolverPlusPlus(50).withDType(DType.FLOAT64),
      new DpmSolverPlusPlus(200, 1, 1e-3, TimeGrid.logSnrUniform(), DType.FLOAT64, null)};
  }

  private static String describe(Sampler s) {
    if (s instanceof Ddim d) {
      return "DDIM eta=" + d.eta();
    }
    if (s instanceof EdmHeun e) {
      return "EDM Heun S_churn=" + e.churn().sChurn();
    }
    return s instanceof DpmSolverPlusPlus p ? "DPM-Solver++ eta=" + p.eta() : s.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samplers")
  void theTwoSampleTestRejectsAWrongScore(String name, Sampler sampler) {
    Sde sde = new VpSde();
    GaussianMixture right = OracleMixtures.twoD();
    // The same mixture with its weights moved between components: same support, wrong density.
    GaussianMixture wrong = new GaussianMixture(new double[] {0.35, 0.45, 0.2},
        new double[][] {right.mean(0), right.mean(1), right.mean(2)},
        new double[][][] {right.covariance(0), right.covariance(1), right.covariance(2)});
    try (PointerScope s = new PointerScope()) {
      Samples out = sampler.sample(new GaussianMixtureScore(wrong, sde), N, new long[] {2}, Condition.NONE, Torch.generator(2024));
      Tensor truth = new GaussianMixtureScore(right, sde).sample(N, Torch.generator(77), Torch.options(DType.FLOAT64));
      double p = Mmd.pValue(out.x(), truth, 200, Torch.generator(5));
      System.out.printf("%s with the wrong score: MMD p-value %.3f%n", name, p);
      assertTrue(p <= 0.01, name + " with the wrong score passed the two-sample test (p=" + p + ")");
    }
  }

  @Test
  void probabilityFlowIsDeterministicGivenThePriorDraw() {
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.twoD(), sde);
    ProbabilityFlow pf = new ProbabilityFlow().withDType(DType.FLOAT64)
        .withSolver(ExplicitRungeKutta.tsit5(), PidController.of(1e-7, 1e-7));
    try (PointerScope s = new PointerScope()) {
      double[] a = Torch.toDoubles(pf.sample(oracle, 8, new long[] {2}, Condition.NONE, Torch.generator(1)).x());
      double[] b = Torch.toDoubles(pf.sample(oracle, 8, new long[] {2}, Condition.NONE, Torch.generator(1)).x());
      org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0.0);
    }
  }

  @Test
  void timeGridsRunFromTToEpsilon() {
    for (TimeGrid g : new TimeGrid[] {TimeGrid.uniform(), TimeGrid.quadratic(), TimeGrid.logSnrUniform(), TimeGrid.karras(7)}) {
      double[] ts = g.times(new VpSde(), 1e-3, 10);
      assertEquals(11, ts.length);
      assertEquals(1.0, ts[0], 0.0);
      assertEquals(1e-3, ts[10], 1e-15);
      for (int i = 1; i < ts.length; i++) {
        assertTrue(ts[i] < ts[i - 1]);
      }
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TimeGrid.uniform().times(new VpSde(), 1e-3, 0));
    assertEquals("the number of steps must be at least 1, got 0", e.getMessage());
  }
}
