package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class GaussianRandomFieldTest {
  static {
    Torch.init();
  }

  /** The dense covariance Σ_rs = n⁻² Σ_k P(k) cos(2π k·(r - s)/n), built without any FFT. */
  private static double[][] denseCovariance(int n, double[] power) {
    double[][] cov = new double[n * n][n * n];
    for (int r = 0; r < n * n; r++) {
      for (int s = 0; s < n * n; s++) {
        int dy = r / n - s / n;
        int dx = r % n - s % n;
        double c = 0;
        for (int ky = 0; ky < n; ky++) {
          for (int kx = 0; kx < n; kx++) {
            c += power[ky * n + kx] * Math.cos(2 * Math.PI * (ky * dy + kx * dx) / n);
          }
        }
        cov[r][s] = c / (n * n);
      }
    }
    return cov;
  }

  @Test
  void exactLogDensityMatchesTheDenseCovarianceGaussian() {
    for (int n : new int[] {4, 5}) {
      try (PointerScope s = new PointerScope()) {
        GaussianRandomField grf = new GaussianRandomField(new GaussianRandomField.Config(n, 0.5, 2, 1, 3, 0.01));
        GaussianRandomField.Fields f = grf.sample(6, Torch.generator(n), DType.FLOAT64);
        double[] params = Torch.toDoubles(f.parameters());
        double[] x = Torch.toDoubles(f.fields());
        double[] logp = Torch.toDoubles(grf.logDensity(f.fields(), f.parameters()));
        for (int b = 0; b < 6; b++) {
          double[][] l = Cholesky.factor(denseCovariance(n, grf.spectrum(params[2 * b], params[2 * b + 1])), "covariance");
          double[] xb = java.util.Arrays.copyOfRange(x, b * n * n, (b + 1) * n * n);
          double expected = Cholesky.logNormal(xb, new double[n * n], l);
          assertEquals(expected, logp[b], 1e-8, "n = " + n + ", field " + b);
        }
        // a point away from the samples too (the density, not only its values at typical fields)
        Tensor ones = torch.ones(new long[] {1, 1, n, n}, Torch.options(DType.FLOAT64));
        Tensor p0 = f.parameters().narrow(0, 0, 1);
        double[][] l = Cholesky.factor(denseCovariance(n, grf.spectrum(params[0], params[1])), "covariance");
        double[] onesV = new double[n * n];
        java.util.Arrays.fill(onesV, 1);
        assertEquals(Cholesky.logNormal(onesV, new double[n * n], l), grf.logDensity(ones, p0).item_double(), 1e-8);
      }
    }
  }

  @Test
  void empiricalPowerSpectrumMatchesTheModel() {
    try (PointerScope s = new PointerScope()) {
      int n = 8;
      int count = 3000;
      GaussianRandomField grf = new GaussianRandomField(GaussianRandomField.Config.fixed(n, 2.0, 3.0));
      GaussianRandomField.Fields f = grf.sample(count, Torch.generator(17), DType.FLOAT64);
      Tensor hat = torch.fft_fft2(f.fields().squeeze(1)).div(Torch.scalar(n));
      Tensor abs2 = torch.view_as_real(hat).pow(Torch.scalar(2)).sum(new long[] {3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
      double[] measured = Torch.toDoubles(abs2.mean(0));
      double[] model = grf.spectrum(2.0, 3.0);
      double[] k = GaussianRandomField.wavenumbers(n);
      double worst = 0;
      for (int i = 0; i < n * n; i++) {
        double z = (measured[i] / model[i] - 1) / Math.sqrt(2.0 / count); // |X|^2/P has sd at most sqrt 2
        worst = Math.max(worst, Math.abs(z));
      }
      assertTrue(worst < 4.5, "largest standardised deviation of the spectrum: " + worst);
      assertEquals(2.0 * Math.pow(Math.sqrt(2), -3.0), model[n + 1], 1e-15, "P at k = (1, 1)");
      assertEquals(0.0, k[0], 0.0);
      assertEquals(4.0, k[4], 0.0, "Nyquist frequency n/2");
      // E[-log p] is the entropy 1/2 sum log(2 pi e P); -log p has sd sqrt(n^2/2)
      double entropy = 0;
      for (double p : model) {
        entropy += 0.5 * Math.log(2 * Math.PI * Math.E * p);
      }
      double meanNll = -grf.logDensity(f.fields(), f.parameters()).mean().item_double();
      assertEquals(entropy, meanNll, 5 * Math.sqrt(n * n / 2.0) / Math.sqrt(count));
    }
  }

  @Test
  void drawsParametersFromTheirRangesAndUsesThemPerField() {
    try (PointerScope s = new PointerScope()) {
      int n = 8;
      int count = 2000;
      GaussianRandomField grf = new GaussianRandomField(GaussianRandomField.Config.ranges(n, 0.5, 4, 1.5, 3.5));
      GaussianRandomField.Fields f = grf.sample(count, Torch.generator(23), DType.FLOAT32);
      assertEquals(torch.ScalarType.Float, f.fields().scalar_type().intern());
      assertArrayEquals(new long[] {count, 1, n, n}, Torch.shape(f.fields()));
      double[] p = Torch.toDoubles(f.parameters());
      for (int b = 0; b < count; b++) {
        assertTrue(p[2 * b] >= 0.5 && p[2 * b] <= 4 && p[2 * b + 1] >= 1.5 && p[2 * b + 1] <= 3.5);
      }
      // |X_k|^2 / P_b(k) has mean 1 for every mode when each field used its own (A, B)
      Tensor hat = torch.fft_fft2(f.fields().squeeze(1).to(torch.ScalarType.Double)).div(Torch.scalar(n));
      Tensor abs2 = torch.view_as_real(hat).pow(Torch.scalar(2)).sum(new long[] {3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
      double[] ratio = Torch.toDoubles(abs2.div(grf.spectrum(f.parameters())).mean(0));
      for (double r : ratio) {
        assertEquals(1.0, r, 4.5 * Math.sqrt(2.0 / count));
      }
      assertThrows(InvalidInputException.class, () -> new GaussianRandomField.Config(8, 1, 1, 2, 2, 0));
    }
  }

  @Test
  void spectraThatOverflowUnderflowOrDrownInRoundingAreRefused() {
    assertEquals("the power spectrum P(k) = A k^-B at A = 1.0, B = 1.0E10 spans 10^(-1.05e+10) to 1e0.0 over the 16 × 16 "
        + "grid (k from 1 to 11.31), but must lie in [1e-300, 1e300] for the fields and their density to be finite",
        assertThrows(InvalidInputException.class, () -> GaussianRandomField.Config.fixed(16, 1, 1e10)).getMessage());
    assertEquals("the power spectrum P(k) = A k^-B for A in [1.0, 1.0E305], B in [3.0, 3.0] spans 1e-4.0 to 1e305.0 over the "
        + "16 × 16 grid (k from 1 to 11.31), but must lie in [1e-300, 1e300] for the fields and their density to be finite",
        assertThrows(InvalidInputException.class, () -> GaussianRandomField.Config.ranges(16, 1, 1e305, 3, 3)).getMessage());
    assertEquals("the amplitude A must be finite and positive, got -1.0",
        assertThrows(InvalidInputException.class, () -> GaussianRandomField.Config.fixed(16, -1, 3)).getMessage());
    assertEquals("field size n must be at most 46340 (n² pixels in one array), got 65536",
        assertThrows(InvalidInputException.class, () -> GaussianRandomField.Config.fixed(65536, 1, 3)).getMessage());
    GaussianRandomField steep = new GaussianRandomField(GaussianRandomField.Config.fixed(16, 1, 40));
    assertEquals("the power spectrum P(k) = A k^-B at A = 1.0, B = 40.0 (zero mode 1.0E-4) spans 1e-42.1 to 1e0.0 over the "
        + "16 × 16 grid, a ratio above the 1e11.4 that float32 fields resolve (the faintest modes would be lost in rounding)",
        assertThrows(InvalidInputException.class, () -> steep.sample(2, Torch.generator(0), DType.FLOAT32)).getMessage());
    GaussianRandomField twenty = new GaussianRandomField(GaussianRandomField.Config.fixed(16, 1, 20));
    twenty.checkResolution(DType.FLOAT64);
    assertThrows(InvalidInputException.class, () -> twenty.checkResolution(DType.FLOAT32));
    new GaussianRandomField(GaussianRandomField.Config.ranges(64, 0.5, 2, 2, 4)).checkResolution(DType.FLOAT32);
    String m = assertThrows(InvalidInputException.class, () -> GaussianRandomField.checkCount(2_000_000_000L, 16)).getMessage();
    assertTrue(m.startsWith("drawing 2000000000 fields of 16 × 16 pixels would need 37.3 TiB of memory, more than the "), m);
  }
}
