package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Corner-plot marginals against a correlated Gaussian's, hand-made grids, windows and credible levels. */
class MarginalsTest {
  @Test
  void histogramsOfGaussianDrawsGiveItsMarginalsAndMass() {
    Random rng = new Random(3);
    int n = 40_000;
    double rho = 0.6;
    double[][] s = new double[n][2];
    for (int i = 0; i < n; i++) {
      double z1 = rng.nextGaussian();
      double z2 = rng.nextGaussian();
      s[i][0] = 1 + 0.5 * z1;
      s[i][1] = -2 + 2 * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
    }
    double[][] w = Marginals.window(s, null);
    Marginals m = Marginals.ofSamples(s, w, 40);
    double[] sd = {0.5, 2};
    double[] mu = {1, -2};
    for (int j = 0; j < 2; j++) {
      double h = m.centres()[j][1] - m.centres()[j][0];
      assertEquals((w[j][1] - w[j][0]) / 40, h, 1e-12);
      double mass = 0;
      double mean = 0;
      for (int b = 0; b < 40; b++) {
        mass += m.density()[j][b] * h;
        mean += m.density()[j][b] * h * m.centres()[j][b];
      }
      assertEquals(1, mass, 0.002, "the window holds (almost) every draw");
      assertEquals(mu[j], mean / mass, 0.02 * sd[j]);
      int peak = 0;
      for (int b = 1; b < 40; b++) {
        peak = Math.abs(m.centres()[j][b] - mu[j]) < Math.abs(m.centres()[j][peak] - mu[j]) ? b : peak;
      }
      double pdf = Math.exp(-0.5 * Math.pow((m.centres()[j][peak] - mu[j]) / sd[j], 2)) / (sd[j] * Math.sqrt(2 * Math.PI));
      assertEquals(pdf, m.density()[j][peak], 0.05 * pdf, "density at the mode, parameter " + j);
    }
    double[][] joint = m.joint()[1][0];
    assertNull(m.joint()[0][1]);
    double total = 0;
    double cov = 0;
    for (int r = 0; r < 40; r++) {
      for (int c = 0; c < 40; c++) {
        total += joint[r][c];
        cov += joint[r][c] * (m.centres()[0][c] - mu[0]) * (m.centres()[1][r] - mu[1]);
      }
    }
    assertEquals(1, total, 0.005);
    assertEquals(rho * 0.5 * 2, cov, 0.05, "the joint keeps the correlation");
    // the 68% highest-density region: the cells above the level hold at least 68%, and one cell fewer would not
    double level = Marginals.credibleLevel(joint, 0.68);
    double above = 0;
    double max = 0;
    for (double[] row : joint) {
      for (double v : row) {
        above += v >= level ? v : 0;
        max = Math.max(max, v);
      }
    }
    assertTrue(above >= 0.68 * total && above < 0.68 * total + max, "mass above the level: " + above);
  }

  @Test
  void windowsAreQuantilesPaddedAndHoldTheTruth() {
    double[][] s = new double[1000][1];
    for (int i = 0; i < 1000; i++) {
      s[i][0] = 999 - i; // order does not matter
    }
    double[][] w = Marginals.window(s, null);
    assertArrayEquals(new double[] {4 - 0.15 * 990, 994 + 0.15 * 990}, w[0], 1e-9);
    double[][] t = Marginals.window(s, new double[] {2000});
    assertArrayEquals(new double[] {4 - 0.15 * 1996, 2000 + 0.15 * 1996}, t[0], 1e-9);
  }

  @Test
  void boxesAndWindowsTransposeIntoEachOther() {
    double[][] box = {{-1, 0, 2}, {1, 5, 3}};
    double[][] w = Marginals.transpose(box);
    assertArrayEquals(new double[] {-1, 1}, w[0]);
    assertArrayEquals(new double[] {0, 5}, w[1]);
    assertArrayEquals(new double[] {2, 3}, w[2]);
    assertArrayEquals(box[1], Marginals.transpose(w)[1]);
    Prior uniform = Prior.parse("uniform:0.5,2,2,4", 2);
    assertArrayEquals(new double[] {0.5, 2}, uniform.window()[0]);
    assertArrayEquals(new double[] {2, 4}, uniform.window()[1]);
  }

  @Test
  void credibleLevelsTakeTheLargestCellsFirst() {
    double[][] mass = {{0.1, 0.4}, {0.2, 0.3}};
    assertEquals(0.4, Marginals.credibleLevel(mass, 0.4));
    assertEquals(0.3, Marginals.credibleLevel(mass, 0.6));
    assertEquals(0.3, Marginals.credibleLevel(mass, 0.7));
    assertEquals(0.2, Marginals.credibleLevel(mass, 0.71));
    assertEquals(0.1, Marginals.credibleLevel(mass, 1));
  }

  @Test
  void gridMarginalsAreSumsOverTheGrid() {
    double[][] axes = {{0, 0.5, 1}, {5, 6, 7}};
    double[] p = {0.05, 0.10, 0.05, 0.10, 0.30, 0.10, 0.05, 0.20, 0.05}; // index a × 3 + b, a along θ₁
    Marginals m = Marginals.ofGrid(new GridPosterior.Result(axes, null, p, 0));
    assertArrayEquals(new double[] {0.2 / 0.5, 0.5 / 0.5, 0.3 / 0.5}, m.density()[0], 1e-12);
    assertArrayEquals(new double[] {0.2, 0.6, 0.2}, m.density()[1], 1e-12);
    assertArrayEquals(new double[] {0.10, 0.30, 0.20}, m.joint()[1][0][1], 1e-15, "row θ₂ = 6 across θ₁");
    assertArrayEquals(new double[] {0.05, 0.10, 0.05}, m.joint()[1][0][0], 1e-15);
    assertArrayEquals(axes[1], m.centres()[1]);
  }

  @Test
  void badBinsAndWindowsAreRefused() {
    double[][] s = {{0}, {1}};
    assertThrows(IllegalArgumentException.class, () -> Marginals.ofSamples(s, new double[][] {{0, 1}}, 1));
    assertThrows(IllegalArgumentException.class, () -> Marginals.ofSamples(s, new double[][] {{1, 1}}, 10));
    assertThrows(IllegalArgumentException.class, () -> Marginals.ofSamples(new double[0][], new double[][] {{0, 1}}, 10));
  }
}
