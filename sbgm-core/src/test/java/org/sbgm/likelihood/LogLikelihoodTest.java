package org.sbgm.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.score.ReverseTime;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Log-likelihoods through the augmented probability-flow ODE against the exact mixture densities. */
class LogLikelihoodTest {
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
    return Stream.of(
        Arguments.of("2-D VP", OracleMixtures.twoD(), new VpSde()),
        Arguments.of("2-D sub-VP", OracleMixtures.twoD(), new SubVpSde()),
        Arguments.of("2-D VE", OracleMixtures.twoD(), new VeSde(0.01, 10)),
        Arguments.of("4-D VP", OracleMixtures.fourD(), new VpSde()),
        Arguments.of("4-D sub-VP", OracleMixtures.fourD(), new SubVpSde()),
        Arguments.of("4-D VE", OracleMixtures.fourD(), new VeSde(0.01, 10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactDivergenceMatchesTheClosedFormDensity(String name, GaussianMixture mixture, Sde sde) {
    GaussianMixtureScore oracle = new GaussianMixtureScore(mixture, sde);
    double eps = 1e-3;
    try (PointerScope s = new PointerScope()) {
      Tensor x = oracle.sample(24, Torch.generator(11), Torch.options(DType.FLOAT64));
      LogLikelihood ll = LogLikelihood.builder().tolerances(1e-9, 1e-9).epsilon(eps)
          .terminalLogDensity(z -> oracle.logDensity(z, sde.horizon())).build();
      LikelihoodResult r = ll.evaluate(oracle, x, Condition.NONE, null);
      double[] truth = Torch.toDoubles(oracle.logDensity(x, eps));
      double worst = 0;
      for (int i = 0; i < truth.length; i++) {
        worst = Math.max(worst, Math.abs(r.nats()[i] - truth[i]));
      }
      System.out.printf("%s: max |log-likelihood - exact log p_eps| = %.2e nats, NFE %d%n", name, worst, r.nfe());
      assertTrue(worst <= 1e-3, name + ": worst error " + worst);
      assertTrue(r.nfe() > 10 && r.nfe() < 20000, "NFE " + r.nfe());
    }
  }

  @Test
  void withTheSdePriorTheErrorIsOnlyThePriorMismatch() {
    // VP with the default schedule: p_T differs from N(0, I) by m(T) = e^{-5.025}, so the plain
    // result is within a few hundredths of a nat, and the terminal term accounts for all of it.
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.twoD(), sde);
    try (PointerScope s = new PointerScope()) {
      Tensor x = oracle.sample(16, Torch.generator(3), Torch.options(DType.FLOAT64));
      LikelihoodResult r = LogLikelihood.builder().tolerances(1e-8, 1e-8).epsilon(1e-3).build()
          .evaluate(oracle, x, Condition.NONE, null);
      double[] truth = Torch.toDoubles(oracle.logDensity(x, 1e-3));
      for (int i = 0; i < truth.length; i++) {
        assertEquals(truth[i], r.nats()[i], 0.05);
      }
    }
  }

  @Test
  void hutchinsonIsUnbiasedForTheExactValue() {
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.fourD(), sde);
    int copies = 400;
    try (PointerScope s = new PointerScope()) {
      Tensor one = oracle.sample(1, Torch.generator(5), Torch.options(DType.FLOAT64));
      Tensor x = one.expand(copies, 4).contiguous();
      LogLikelihood.Builder b = LogLikelihood.builder().controller(ConstantStep.steps(60))
          .solver(ExplicitRungeKutta.rk4()).epsilon(1e-3);
      double exact = b.divergence(Divergence.exact()).build().evaluate(oracle, one, Condition.NONE, null).nats()[0];
      for (Hutchinson.Probe probe : Hutchinson.Probe.values()) {
        LikelihoodResult r = b.divergence(new Hutchinson(probe, 1)).build()
            .evaluate(oracle, x, Condition.NONE, Torch.generator(17));
        double mean = 0;
        for (double v : r.nats()) {
          mean += v;
        }
        mean /= copies;
        double var = 0;
        for (double v : r.nats()) {
          var += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(var / (copies - 1) / copies);
        System.out.printf("Hutchinson %s: mean %.5f +- %.5f vs exact %.5f%n", probe, mean, se, exact);
        assertTrue(se > 1e-6, "the probes must vary between copies");
        assertEquals(exact, mean, 2.5 * se, probe + " estimate");
      }
    }
  }

  @Test
  void anObserverSeesEveryAcceptedStepFromEpsilonToTAndChangesNothing() {
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.twoD(), sde);
    try (PointerScope s = new PointerScope()) {
      Tensor x = oracle.sample(8, Torch.generator(4), Torch.options(DType.FLOAT64));
      java.util.List<Double> times = new java.util.ArrayList<>();
      LogLikelihood.Builder b = LogLikelihood.builder().tolerances(1e-6, 1e-6).epsilon(1e-3);
      LikelihoodResult plain = b.build().evaluate(oracle, x, Condition.NONE, null);
      LikelihoodResult seen = b.observer((t, y, dt) -> {
        assertEquals(3, y.size(1), "the augmented state [B, D + 1]");
        times.add(t);
      }).build().evaluate(oracle, x, Condition.NONE, null);
      assertEquals(seen.steps(), times.size());
      for (int i = 1; i < times.size(); i++) {
        assertTrue(times.get(i) > times.get(i - 1), "times increase: " + times);
      }
      assertTrue(times.get(0) > 1e-3, "the first step ends after epsilon");
      assertEquals(sde.horizon(), times.get(times.size() - 1), 1e-12);
      for (int i = 0; i < 8; i++) {
        assertEquals(plain.nats()[i], seen.nats()[i], 0.0, "the observer changes no result");
      }
    }
  }

  @Test
  void moreProbesShrinkTheSpread() {
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.fourD(), sde);
    try (PointerScope s = new PointerScope()) {
      Tensor x = oracle.sample(1, Torch.generator(5), Torch.options(DType.FLOAT64)).expand(200, 4).contiguous();
      LogLikelihood.Builder b = LogLikelihood.builder().controller(ConstantStep.steps(30))
          .solver(ExplicitRungeKutta.rk4()).epsilon(1e-3);
      double sd1 = sd(b.divergence(Divergence.hutchinson(1)).build().evaluate(oracle, x, Condition.NONE, Torch.generator(1)).nats());
      double sd8 = sd(b.divergence(Divergence.hutchinson(8)).build().evaluate(oracle, x, Condition.NONE, Torch.generator(1)).nats());
      // Independent probes: the spread falls like 1/sqrt(n), so 8 probes give about 0.35 of one probe's.
      assertTrue(sd8 < 0.5 * sd1 && sd8 > 0.2 * sd1, "sd(1 probe)=" + sd1 + ", sd(8 probes)=" + sd8);
    }
  }

  @Test
  void exactDivergenceEqualsFiniteDifferenceTrace() {
    Sde sde = new SubVpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.fourD(), sde);
    double t = 0.3;
    double h = 1e-5;
    try (PointerScope s = new PointerScope()) {
      Tensor x = oracle.sample(6, Torch.generator(9), Torch.options(DType.FLOAT64));
      double[] divergence;
      try (AutoGradMode on = new AutoGradMode(true)) {
        Tensor xr = x.detach().requires_grad_(true);
        Tensor f = ReverseTime.probabilityFlowDrift(oracle, xr, t, Condition.NONE);
        divergence = Torch.toDoubles(Divergence.exact().begin(xr, null).divergence(f, xr));
      }
      double[] fd = new double[6];
      double[] base = Torch.toDoubles(x);
      for (int i = 0; i < 4; i++) {
        double[] plus = base.clone();
        double[] minus = base.clone();
        for (int b = 0; b < 6; b++) {
          plus[b * 4 + i] += h;
          minus[b * 4 + i] -= h;
        }
        double[] fp = Torch.toDoubles(ReverseTime.probabilityFlowDrift(oracle, Torch.tensor(plus, 6, 4), t, Condition.NONE));
        double[] fm = Torch.toDoubles(ReverseTime.probabilityFlowDrift(oracle, Torch.tensor(minus, 6, 4), t, Condition.NONE));
        for (int b = 0; b < 6; b++) {
          fd[b] += (fp[b * 4 + i] - fm[b * 4 + i]) / (2 * h);
        }
      }
      for (int b = 0; b < 6; b++) {
        assertEquals(fd[b], divergence[b], 1e-6 * Math.max(1, Math.abs(fd[b])));
      }
    }
  }

  @Test
  void rejectsNonFiniteData() {
    Sde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(OracleMixtures.twoD(), sde);
    Tensor x = Torch.tensor(new double[] {0, Double.NaN}, 1, 2);
    org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
        () -> LogLikelihood.builder().build().evaluate(oracle, x, Condition.NONE, null));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  /** ε is checked against the horizon of the model's own SDE when the likelihood is evaluated. */
  @Test
  void epsilonIsCheckedAgainstTheModelsHorizon() {
    LogLikelihood ll = LogLikelihood.builder().epsilon(1.5).solver(ExplicitRungeKutta.rk4()).controller(ConstantStep.steps(4)).build();
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.tensor(new double[] {0.1, -0.2}, 1, 2);
      GaussianMixtureScore shortHorizon = new GaussianMixtureScore(OracleMixtures.twoD(), new VpSde());
      org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
          () -> ll.evaluate(shortHorizon, x, Condition.NONE, null));
      assertEquals("epsilon = 1.5 must lie below the horizon T = 1.0 of the model's SDE.", e.getMessage());
      GaussianMixtureScore longHorizon = new GaussianMixtureScore(OracleMixtures.twoD(), new VpSde(0.1, 20, 2.0));
      assertTrue(Double.isFinite(ll.evaluate(longHorizon, x, Condition.NONE, null).nats()[0]));
    }
    org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> LogLikelihood.builder().epsilon(0));
    org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> LogLikelihood.builder().tolerances(0, 1e-5));
    org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> LogLikelihood.builder().maxSteps(0));
  }

  @Test
  void divergenceParseIsTheOneParser() {
    assertEquals("exact", Divergence.parse("Exact", 3).toString());
    assertEquals("hutchinson(rademacher, 3)", Divergence.parse("hutchinson", 3).toString());
    assertEquals(java.util.List.of("exact", "hutchinson"), Divergence.NAMES);
    org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
        () -> Divergence.parse("trace", 1));
    assertEquals("the divergence must be exact or hutchinson, got 'trace'", e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> Divergence.parse("hutchinson", 0));
  }

  private static double sd(double[] v) {
    double m = 0;
    for (double d : v) {
      m += d;
    }
    m /= v.length;
    double s = 0;
    for (double d : v) {
      s += (d - m) * (d - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
