package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.DType;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.Torch;

class ToyTest {
  static {
    Torch.init();
  }

  private static final double S = 0.5 / 1.414;

  /** The eight-Gaussians density written out independently of GaussianMixture. */
  private static double density(double x, double y) {
    double r = 1 / Math.sqrt(2);
    double[][] c = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
    double p = 0;
    for (double[] ci : c) {
      double dx = x - 4 * ci[0] / 1.414;
      double dy = y - 4 * ci[1] / 1.414;
      p += Math.exp(-(dx * dx + dy * dy) / (2 * S * S)) / (2 * Math.PI * S * S) / 8;
    }
    return p;
  }

  /** Points of the square grid [lo, hi]² with spacing h (cell midpoints), [m², 2] float64. */
  private static Tensor grid(double lo, double hi, double h) {
    int m = (int) Math.round((hi - lo) / h);
    double[] v = new double[2 * m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        v[2 * (i * m + j)] = lo + (i + 0.5) * h;
        v[2 * (i * m + j) + 1] = lo + (j + 0.5) * h;
      }
    }
    return Torch.tensor(v, (long) m * m, 2);
  }

  @Test
  void eightGaussiansLogDensityIsTheMixtureFormulaAndIntegratesToOne() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {50, 2}, Torch.generator(5), Torch.options(DType.FLOAT64)).mul(Torch.scalar(3));
      double[] pts = Torch.toDoubles(x);
      double[] logp = Torch.toDoubles(Toy.eightGaussiansLogDensity(x));
      for (int i = 0; i < 50; i++) {
        double expected = Math.log(density(pts[2 * i], pts[2 * i + 1]));
        assertEquals(expected, logp[i], 1e-10 * Math.max(1, Math.abs(expected)));
        assertEquals(expected, Toy.eightGaussiansMixture().logDensity(Torch.tensor(new double[] {pts[2 * i], pts[2 * i + 1]}, 1, 2)).item_double(), 1e-10 * Math.max(1, Math.abs(expected)));
      }
      double h = 0.04;
      double mass = torch.exp(Toy.eightGaussiansLogDensity(grid(-6, 6, h))).sum().item_double() * h * h;
      assertEquals(1.0, mass, 1e-6);
      GaussianMixture m = Toy.eightGaussiansMixture();
      assertEquals(8, m.components());
      assertArrayEquals(new double[] {4 / 1.414, 0}, m.mean(0), 1e-15);
      assertEquals(S * S, m.covariance(3)[1][1], 1e-15);
      assertEquals(0.0, m.covariance(3)[0][1], 0.0);
    }
  }

  @Test
  void eightGaussiansSamplesFollowTheDensity() {
    try (PointerScope s = new PointerScope()) {
      int n = 40000;
      double[] v = Torch.toDoubles(Toy.eightGaussians(n, Torch.generator(11), DType.FLOAT64));
      // chi-square of a 16x16 histogram on [-4, 4]^2 against the density integrated per bin
      int bins = 16;
      double w = 0.5;
      long[] counts = new long[bins * bins];
      double secondMoment = 0;
      for (int i = 0; i < n; i++) {
        double a = v[2 * i];
        double b = v[2 * i + 1];
        secondMoment += (a * a + b * b) / n;
        int bi = (int) Math.floor((a + 4) / w);
        int bj = (int) Math.floor((b + 4) / w);
        if (bi >= 0 && bi < bins && bj >= 0 && bj < bins) {
          counts[bi * bins + bj]++;
        }
      }
      double sub = 0.025;
      double[] p = Torch.toDoubles(torch.exp(Toy.eightGaussiansLogDensity(grid(-4, 4, sub))));
      int m = (int) Math.round(8 / sub);
      double[] expected = new double[bins * bins];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          expected[(i / 20) * bins + j / 20] += p[i * m + j] * sub * sub * n;
        }
      }
      double chi2 = 0;
      int dof = -1;
      for (int k = 0; k < counts.length; k++) {
        if (expected[k] >= 5) {
          chi2 += (counts[k] - expected[k]) * (counts[k] - expected[k]) / expected[k];
          dof++;
        }
      }
      assertTrue(dof > 40, "enough populated bins: " + dof);
      assertTrue(chi2 < dof + 5 * Math.sqrt(2 * dof), "chi2 " + chi2 + " with " + dof + " dof");
      double exact = (16 + 2 * 0.25) / (1.414 * 1.414);
      assertEquals(exact, secondMoment, 5 * 2.9 / Math.sqrt(n)); // sd of |x|^2 is about 2.9
    }
  }

  @Test
  void checkerboardSamplesLieOnItsSupportAndItsDensityIntegratesToOne() {
    try (PointerScope s = new PointerScope()) {
      int n = 20000;
      Tensor x = Toy.checkerboard(n, Torch.generator(3), DType.FLOAT64);
      assertTrue(Torch.allFinite(Toy.checkerboardLogDensity(x)), "every sample is on the support");
      double[] v = Torch.toDoubles(x);
      int[] squares = new int[16];
      for (int i = 0; i < n; i++) {
        squares[(int) Math.floor((v[2 * i] + 4) / 2) * 4 + (int) Math.floor((v[2 * i + 1] + 4) / 2)]++;
      }
      int occupied = 0;
      for (int c : squares) {
        if (c > 0) {
          occupied++;
          assertEquals(n / 8.0, c, 5 * Math.sqrt(n / 8.0 * 7 / 8));
        }
      }
      assertEquals(8, occupied);
      double h = 0.05;
      double mass = torch.exp(Toy.checkerboardLogDensity(grid(-5, 5, h))).sum().item_double() * h * h;
      assertEquals(1.0, mass, 1e-9);
      assertEquals(-Math.log(32), Toy.checkerboardLogDensity(Torch.tensor(new double[] {0.5, 0.5}, 1, 2)).item_double(), 1e-15);
      assertEquals(Double.NEGATIVE_INFINITY, Toy.checkerboardLogDensity(Torch.tensor(new double[] {2.5, 0.5}, 1, 2)).item_double());
    }
  }

  @Test
  void moonsAndSwissRollHaveTheirKnownMoments() {
    try (PointerScope s = new PointerScope()) {
      int n = 20000;
      double[] moons = Torch.toDoubles(Toy.twoMoons(n, Torch.generator(1), DType.FLOAT64).mean(0));
      // arcs' centroid (1/2, 1/4) mapped by 2x + (-1, -0.2)
      assertEquals(0.0, moons[0], 0.01); // evenly spaced arcs: only the 0.2-sd noise is random
      assertEquals(0.3, moons[1], 0.01);
      Tensor roll = Toy.swissRoll(n, Torch.generator(2), DType.FLOAT64);
      double m2 = Torch.sumPerSample(roll.mul(roll)).mean().item_double();
      double t = 1.5 * Math.PI;
      double exact = (t * t * 13.0 / 3 + 2) / 25; // E t^2 = (1.5 pi)^2 E(1 + 2u)^2, noise adds 2
      assertEquals(exact, m2, 0.07); // sd of |x|^2 is about 2, so 5 sd of the mean is 0.07
      assertArrayEquals(Torch.toFloats(Toy.swissRoll(7, Torch.generator(9))), Torch.toFloats(Toy.swissRoll(7, Torch.generator(9))));
      assertEquals(torch.ScalarType.Float, Toy.twoMoons(5, Torch.generator(1)).scalar_type().intern());
    }
  }
}
