package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.Memory;
import org.sbgm.torch.Torch;

/**
 * Runs that could never finish are refused before any work: grids and chains too large to hold, MCMC settings
 * that keep too few draws for the diagnostics, and grids whose log posterior is nowhere a finite number.
 */
class RunSizeTest {
  static {
    Torch.init();
  }

  private static final Posterior FLAT = new Posterior(t -> new double[t.length], Prior.parse("normal:0,1", 2));

  @Test
  void gridsBeyondAnArrayOrTheHeapAreRefusedBeforeEvaluating() {
    int[] calls = {0};
    Posterior counted = new Posterior(t -> {
      calls[0]++;
      return new double[t.length];
    }, Prior.parse("normal:0,1", 2));
    assertEquals("a grid of K^P = 46341^2 = 2147488281 points is more than the 2147483639 elements a Java array can hold",
        assertThrows(InvalidInputException.class, () -> GridPosterior.evaluate(counted, 46341, null, 100, null)).getMessage());
    int k = (int) Math.ceil(Math.sqrt(Memory.heap() / 24.0)) + 1;
    String m = assertThrows(InvalidInputException.class, () -> GridPosterior.evaluate(counted, k, null, 100, null)).getMessage();
    assertTrue(m.startsWith("a grid of K^P = " + k + "^2 = " + (long) k * k + " points would need ")
        && m.endsWith(" the Java heap may use (-Xmx)"), m);
    assertEquals(0, calls[0]);
    GridPosterior.checkSize(46341, 1);
  }

  @Test
  void mcmcKeepingTooFewDrawsForTheDiagnosticsIsRefusedUpFront() {
    assertEquals("the MCMC would keep steps - burn-in = 200 - 197 = 3 draws per walker, but its diagnostics need at least 4; "
        + "the burn-in must lie in [0, 196] for 200 steps",
        assertThrows(InvalidInputException.class, () -> new EnsembleSampler.Settings(6, 200, 197, 2.0)).getMessage());
    assertEquals("the MCMC would keep steps - burn-in = 4 - 2 = 2 draws per walker, but its diagnostics need at least 4; "
        + "the burn-in must lie in [0, 0] for 4 steps",
        assertThrows(InvalidInputException.class, () -> EnsembleSampler.Settings.forDimension(2, 6, 4, null)).getMessage());
    assertEquals("the number of MCMC steps must be at least 4 (the draws per walker the diagnostics need), got 3",
        assertThrows(InvalidInputException.class, () -> EnsembleSampler.Settings.of(6, 3)).getMessage());
    assertEquals("the burn-in must be at least 0, got -1",
        assertThrows(InvalidInputException.class, () -> new EnsembleSampler.Settings(6, 10, -1, 2.0)).getMessage());
    McmcResult r = EnsembleSampler.run(FLAT, new EnsembleSampler.Settings(4, 8, 4, 2.0), Torch.generator(0), null);
    assertEquals(2, r.rhat().length, "the fewest kept draws still give diagnostics");
    assertEquals(16, r.samples().length);
  }

  @Test
  void chainsBeyondAnArrayOrTheHeapAreRefused() {
    assertEquals("2000000000 walkers (chains) × 8 steps = 16000000000 draws is more than the 2147483639 elements a Java "
        + "array can hold", assertThrows(InvalidInputException.class, () -> EnsembleSampler.Settings.of(2_000_000_000, 8))
        .getMessage());
    assertEquals("6 walkers (chains) × 2000000000 steps = 12000000000 draws is more than the 2147483639 elements a Java array "
        + "can hold", assertThrows(InvalidInputException.class, () -> EnsembleSampler.Settings.of(6, 2_000_000_000))
        .getMessage());
    int steps = (int) Math.min(Integer.MAX_VALUE / 200, Memory.heap() / (100 * 200));
    EnsembleSampler.Settings big = EnsembleSampler.Settings.of(100, steps);
    String m = assertThrows(InvalidInputException.class, () -> big.checkSize(300)).getMessage();
    assertTrue(m.startsWith("100 walkers (chains) × " + steps + " steps of 300 parameters would need ")
        && m.endsWith(" the Java heap may use (-Xmx)"), m);
  }

  @Test
  void aGridWhoseLogPosteriorIsNowhereFiniteIsRefused() {
    for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
      Posterior nowhere = new Posterior(t -> {
        double[] v = new double[t.length];
        java.util.Arrays.fill(v, bad);
        return v;
      }, Prior.parse("uniform:0,1", 2));
      assertEquals("the posterior is zero (its log −∞ or not a number) at every one of the 9 grid points",
          assertThrows(InferenceException.class, () -> GridPosterior.evaluate(nowhere, 3, null, 100, null)).getMessage());
    }
    Posterior infinite = new Posterior(t -> {
      double[] v = new double[t.length];
      v[t.length - 1] = Double.POSITIVE_INFINITY;
      return v;
    }, Prior.parse("uniform:0,1", 2));
    assertEquals("the log posterior is not a finite number (Infinity) at 1 of the 9 grid points, the first at θ = "
        + "[0.8333333333333333, 0.8333333333333333]",
        assertThrows(InferenceException.class, () -> GridPosterior.evaluate(infinite, 3, null, 100, null)).getMessage());
  }
}
