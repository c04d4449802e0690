package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Held-out fields: their mean log-density is the mean of the exact density over them, and it lies where the
 * negative entropy of N(0, Σ) puts it, −(d/2)(1 + ln 2π) − ½ log det Σ (the per-field spread is √(d/2)).
 */
class GrfHeldOutTest {
  @Test
  void meanLogDensityMatchesTheEntropyOfTheGaussian() {
    int size = 6;
    int d = size * size;
    long count = 800;
    GaussianRandomField grf = new GaussianRandomField(GaussianRandomField.Config.fixed(size, 1.5, 2.5));
    double logDet = Cholesky.logDet(Cholesky.factor(grf.covariance(1.5, 2.5), "Σ"));
    double negEntropy = -0.5 * d * (1 + Math.log(2 * Math.PI)) - 0.5 * logDet;
    try (PointerScope scope = new PointerScope()) {
      GaussianRandomField.HeldOut h = grf.heldOut(count, Torch.generator(4), DType.FLOAT64);
      assertArrayEquals(new long[] {count, size, size}, Torch.shape(h.fields()));
      double direct = grf.logDensity(h.fields(), 1.5, 2.5).mean().item_double();
      assertEquals(direct, h.meanLogDensity(), 1e-9 * Math.abs(direct));
      double se = Math.sqrt(d / 2.0 / count);
      assertEquals(negEntropy, h.meanLogDensity(), 4 * se, "4 standard errors");
      assertEquals(-h.meanLogDensity() / (d * Math.log(2)), h.meanBitsPerDim(), 1e-12);
      GaussianRandomField.HeldOut again = grf.heldOut(count, Torch.generator(4), DType.FLOAT64);
      assertEquals(h.meanLogDensity(), again.meanLogDensity(), 0.0, "the same seed draws the same fields");
    }
  }

  @Test
  void aRangeOfParametersIsRefused() {
    GaussianRandomField grf = new GaussianRandomField(GaussianRandomField.Config.ranges(8, 0.5, 2, 2, 4));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> grf.heldOut(4, Torch.generator(1), DType.FLOAT32));
    assertTrue(e.getMessage().contains("one (A, B)") && e.getMessage().contains("A in [0.5, 2.0], B in [2.0, 4.0]"),
        e.getMessage());
  }
}
