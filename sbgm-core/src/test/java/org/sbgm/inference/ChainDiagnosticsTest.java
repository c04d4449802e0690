package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;

/**
 * Split R̂ and the effective sample size on chains whose answers are known: AR(1) chains x_t = φ x_{t−1} + e_t
 * have integrated autocorrelation time τ = (1 + φ)/(1 − φ), so ESS ≈ MN/τ; independent draws have ESS ≈ MN;
 * chains around different means have R̂ well above 1, chains of one distribution R̂ ≈ 1.
 */
class ChainDiagnosticsTest {
  private static double[][] ar1(int chains, int n, double phi, double offsetPerChain, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[chains][n];
    double sd = Math.sqrt(1 - phi * phi);
    for (int m = 0; m < chains; m++) {
      double v = r.nextGaussian();
      for (int t = 0; t < n; t++) {
        v = phi * v + sd * r.nextGaussian();
        x[m][t] = v + m * offsetPerChain;
      }
    }
    return x;
  }

  @Test
  void effectiveSampleSizeOfAr1ChainsIsMnOverTau() {
    for (double phi : new double[] {0.0, 0.5, 0.9}) {
      double tau = (1 + phi) / (1 - phi);
      double[][] chains = ar1(8, 5000, phi, 0, 1);
      double ess = ChainDiagnostics.effectiveSampleSize(chains);
      double expected = 8 * 5000 / tau;
      assertEquals(expected, ess, 0.15 * expected, "phi = " + phi);
    }
  }

  @Test
  void splitRhatSeparatesAgreeingFromDisagreeingChains() {
    assertEquals(1.0, ChainDiagnostics.splitRhat(ar1(8, 2000, 0.5, 0, 2)), 0.01);
    assertTrue(ChainDiagnostics.splitRhat(ar1(8, 2000, 0.5, 0.5, 3)) > 1.2);
    // a trend inside every chain is caught by the split
    double[][] drifting = ar1(4, 2000, 0.5, 0, 4);
    for (double[] c : drifting) {
      for (int t = 0; t < c.length; t++) {
        c[t] += 3.0 * t / c.length;
      }
    }
    assertTrue(ChainDiagnostics.splitRhat(drifting) > 1.2);
  }

  @Test
  void tooShortOrRaggedChainsAreRefused() {
    assertThrows(InvalidInputException.class, () -> ChainDiagnostics.splitRhat(new double[][] {{1, 2, 3}}));
    assertThrows(InvalidInputException.class, () -> ChainDiagnostics.effectiveSampleSize(new double[][] {{1, 2, 3, 4}, {1, 2, 3}}));
  }
}
