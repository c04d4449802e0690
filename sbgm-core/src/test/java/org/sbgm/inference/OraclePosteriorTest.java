package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.likelihood.Divergence;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Likelihood-based inference against an exact posterior: the conditional mixture oracle's log p(x | π)
 * through the probability-flow ODE (exact divergence) with a uniform prior on π ∈ [−3, 3]² and two
 * observations. The exact posterior comes from the closed-form log p(x | π) on a 400 × 400 grid. The grid
 * posterior through the ODE agrees with the closed form on the same grid to the solver's error and with
 * the exact moments to the grid's; the ensemble MCMC through the ODE agrees with the exact moments within
 * Monte-Carlo error (its effective sample size), with R̂ near 1; a wrong likelihood fails the same check.
 */
class OraclePosteriorTest {
  static ConditionalGaussianMixtureScore oracle;
  static final double[][] OBSERVED = {{0.5, 0.2}, {0.1, 0.6}};
  static Prior prior;
  static GridPosterior.Result exact;

  @BeforeAll
  static void init() {
    Torch.init();
    Torch.setThreads(1);
    oracle = ConditionalOracle.score();
    prior = Prior.parse("uniform:-3,3", 2);
    exact = GridPosterior.evaluate(new Posterior(ConditionalOracle.exact(oracle, OBSERVED), prior), 400, null, 40000, null);
  }

  private static ObservedLikelihood ode(double tol) {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.tensor(ConditionalOracle.flat(OBSERVED), DType.FLOAT64, 2, 2);
      return ConditionalOracle.density(oracle, Divergence.exact(), tol).given(x, 4096);
    }
  }

  @Test
  void theGridPosteriorThroughTheOdeIsTheExactOne() {
    GridPosterior.Result closed = GridPosterior.evaluate(new Posterior(ConditionalOracle.exact(oracle, OBSERVED), prior), 24,
        null, 10000, null);
    long[] calls = {0};
    GridPosterior.Result grid = GridPosterior.evaluate(new Posterior(ode(1e-6), prior), 24, null, 1000,
        (done, total) -> calls[0]++);
    assertEquals(1, calls[0] - 0, 0, "576 points in batches of 1000: one call");
    double[] em = exact.mean();
    double[] es = exact.sd();
    for (int j = 0; j < 2; j++) {
      assertEquals(closed.mean()[j], grid.mean()[j], 1e-4, "the ODE likelihood on the grid, mean " + j);
      assertEquals(closed.sd()[j], grid.sd()[j], 1e-4, "the ODE likelihood on the grid, sd " + j);
      assertEquals(em[j], grid.mean()[j], 0.01, "the 24-point grid against the exact mean " + j);
      assertEquals(es[j], grid.sd()[j], 0.01, "the 24-point grid against the exact sd " + j);
    }
    assertEquals(exact.logEvidence(), grid.logEvidence(), 0.01);
    double total = 0;
    for (double v : grid.marginal(0)) {
      total += v;
    }
    assertEquals(1, total, 1e-12);
  }

  /** Mean and sd of an MCMC run against the exact ones, within {@code z} Monte-Carlo standard errors. */
  static boolean agrees(McmcResult r, double z) {
    double[] m = r.mean();
    double[] s = r.sd();
    double[] ess = r.ess();
    boolean ok = true;
    for (int j = 0; j < m.length; j++) {
      double es = exact.sd()[j];
      ok &= Math.abs(m[j] - exact.mean()[j]) < z * es / Math.sqrt(ess[j]);
      ok &= Math.abs(s[j] - es) < z * es / Math.sqrt(2 * ess[j]) + 0.005;
    }
    return ok;
  }

  @Test
  void theEnsembleMcmcThroughTheOdeAgreesWithTheExactPosterior() {
    ObservedLikelihood likelihood = ode(1e-4);
    McmcResult r = EnsembleSampler.run(new Posterior(likelihood, prior), new EnsembleSampler.Settings(16, 400, 100, 2.0),
        Torch.generator(11), null);
    assertTrue(agrees(r, 4), () -> "MCMC mean " + java.util.Arrays.toString(r.mean()) + " sd " + java.util.Arrays.toString(r.sd())
        + " ESS " + java.util.Arrays.toString(r.ess()) + " vs exact " + java.util.Arrays.toString(exact.mean()) + " "
        + java.util.Arrays.toString(exact.sd()));
    for (double rhat : r.rhat()) {
      assertTrue(rhat < 1.2, "R-hat " + rhat + " after 300 kept steps (the integrated autocorrelation time is about 36 steps)");
    }
    assertTrue(r.meanAcceptance() > 0.2 && r.meanAcceptance() < 0.9, "acceptance " + r.meanAcceptance());
    assertEquals(2 * 400, r.solves(), "two batched solves per step, one per half of the ensemble");
    assertEquals(r.solves() + 1, likelihood.solves(), "and one for the initial walkers");
    assertEquals(300 * 16, r.samples().length);

    // the same run replays exactly from the same seed
    McmcResult again = EnsembleSampler.run(new Posterior(ode(1e-4), prior), new EnsembleSampler.Settings(16, 20, 10, 2.0),
        Torch.generator(11), null);
    assertEquals(r.chain()[19][5][1], again.chain()[19][5][1], 0.0);
  }

  @Test
  void longRunsOfTheClosedFormConvergeToRhatOne() {
    McmcResult r = EnsembleSampler.run(new Posterior(ConditionalOracle.exact(oracle, OBSERVED), prior),
        new EnsembleSampler.Settings(32, 2000, 500, 2.0), Torch.generator(12), null);
    for (double rhat : r.rhat()) {
      assertTrue(rhat < 1.05, "R-hat " + rhat);
    }
    assertTrue(agrees(r, 4));
    for (double ess : r.ess()) {
      assertTrue(ess > 700, "ESS " + ess + " of " + 32 * 1500);
    }
  }

  @Test
  void aWrongLikelihoodFailsTheSameCheck() {
    // the oracle's likelihood of observations shifted by 0.5: a model of the wrong simulator
    double[][] shifted = {{1.0, 0.7}, {0.6, 1.1}};
    McmcResult r = EnsembleSampler.run(new Posterior(ConditionalOracle.exact(oracle, shifted), prior),
        new EnsembleSampler.Settings(16, 400, 100, 2.0), Torch.generator(11), null);
    assertTrue(!agrees(r, 4), "a posterior of the wrong data must not pass");
  }

  @Test
  void defaultSettingsForADimension() {
    assertEquals(new EnsembleSampler.Settings(32, 1000, 500, 2.0), EnsembleSampler.Settings.forDimension(3, null, null, null));
    assertEquals(new EnsembleSampler.Settings(40, 200, 100, 2.0), EnsembleSampler.Settings.forDimension(20, null, 200, null));
    assertEquals(new EnsembleSampler.Settings(8, 100, 10, 2.0), EnsembleSampler.Settings.forDimension(2, 8, 100, 10));
  }

  @Test
  void badSettingsAreOneSentence() {
    assertEquals("the number of walkers (chains) must be even and at least 4, got 5",
        assertThrows(InvalidInputException.class, () -> EnsembleSampler.Settings.of(5, 100)).getMessage());
    assertEquals("the ensemble needs at least 2P = 6 walkers for 3 parameters, got 4",
        assertThrows(InvalidInputException.class, () -> EnsembleSampler.run(new Posterior(t -> new double[t.length],
            Prior.parse("normal:0,1", 3)), EnsembleSampler.Settings.of(4, 10), Torch.generator(1), null)).getMessage());
    assertEquals("a grid posterior covers at most 2 parameters, but the model has 3; use MCMC (chains and steps) instead",
        assertThrows(InvalidInputException.class, () -> GridPosterior.evaluate(new Posterior(t -> new double[t.length],
            Prior.parse("normal:0,1", 3)), 10, null, 10, null)).getMessage());
  }
}
