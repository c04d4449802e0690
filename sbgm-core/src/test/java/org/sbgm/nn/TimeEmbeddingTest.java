package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class TimeEmbeddingTest {
  static {
    Torch.init();
  }

  private static final double[] TIMES = {1e-5, 0.013, 0.25, 0.5, 0.77, 1.0};

  @Test
  void fourierFeaturesMatchTheFormula() {
    try (PointerScope s = new PointerScope()) {
      TimeEmbedding e = TimeEmbedding.create(TimeEmbeddingConfig.fourier(16, 16.0), 3);
      assertEquals(32, e.dim());
      double[] w = Torch.toDoubles(e.named_buffers().get("w"));
      assertEquals(16, w.length);
      // float64 evaluation: the only error left is rounding of the formula itself
      e.to(DType.FLOAT64.scalarType(), false);
      double[] got = Torch.toDoubles(e.forward(Torch.tensor(TIMES, TIMES.length)));
      double[] want = new double[TIMES.length * 32];
      for (int b = 0; b < TIMES.length; b++) {
        for (int i = 0; i < 16; i++) {
          double p = 2 * Math.PI * w[i] * TIMES[b];
          want[b * 32 + i] = Math.sin(p);
          want[b * 32 + 16 + i] = Math.cos(p);
        }
      }
      assertArrayEquals(want, got, 1e-12);
      // float32: argument up to 2π·|W|·t ~ 300, so float32 rounding allows ~1e-4
      e.to(DType.FLOAT32.scalarType(), false);
      double[] got32 = Torch.toDoubles(e.forward(Torch.tensor(TIMES, DType.FLOAT32, TIMES.length)));
      assertArrayEquals(want, got32, 2e-4);
    }
  }

  @Test
  void fourierFrequenciesHaveTheConfiguredScaleAndFollowTheSeed() {
    try (PointerScope s = new PointerScope()) {
      double[] w = Torch.toDoubles(TimeEmbedding.create(TimeEmbeddingConfig.fourier(4000, 16.0), 5).named_buffers().get("w"));
      double sum2 = 0;
      for (double v : w) {
        sum2 += v * v;
      }
      // sample std of 4000 N(0, 16²) draws: relative standard error 1/√8000 ≈ 1.1 %
      assertEquals(16.0, Math.sqrt(sum2 / w.length), 16.0 * 0.05);
      Tensor a = TimeEmbedding.create(TimeEmbeddingConfig.fourier(8, 1.0), 9).named_buffers().get("w");
      Tensor b = TimeEmbedding.create(TimeEmbeddingConfig.fourier(8, 1.0), 9).named_buffers().get("w");
      Tensor c = TimeEmbedding.create(TimeEmbeddingConfig.fourier(8, 1.0), 10).named_buffers().get("w");
      assertArrayEquals(Torch.toDoubles(a), Torch.toDoubles(b), 0.0);
      assertEquals(false, a.equal(c));
    }
  }

  @Test
  void sinusoidalMatchesTheFormula() {
    try (PointerScope s = new PointerScope()) {
      int dim = 32;
      TimeEmbedding e = TimeEmbedding.create(TimeEmbeddingConfig.sinusoidal(dim), 0);
      assertEquals(0, e.named_buffers().size());
      double[] got = Torch.toDoubles(e.forward(Torch.tensor(TIMES, TIMES.length)));
      int half = dim / 2;
      double[] want = new double[TIMES.length * dim];
      for (int b = 0; b < TIMES.length; b++) {
        for (int i = 0; i < half; i++) {
          double a = 1000.0 * TIMES[b] * Math.exp(-Math.log(10000.0) * i / half);
          want[b * dim + i] = Math.sin(a);
          want[b * dim + half + i] = Math.cos(a);
        }
      }
      assertArrayEquals(want, got, 1e-12);
    }
  }

  @Test
  void rejectsBadConfigurationsAndShapes() {
    assertEquals("time embedding dim must be a positive even number, got 7",
        assertThrows(InvalidInputException.class, () -> TimeEmbeddingConfig.sinusoidal(7)).getMessage());
    assertThrows(InvalidInputException.class, () -> TimeEmbeddingConfig.fourier(4, -1.0));
    try (PointerScope s = new PointerScope()) {
      TimeEmbedding e = TimeEmbedding.create(TimeEmbeddingConfig.sinusoidal(8), 0);
      assertThrows(InvalidInputException.class, () -> e.forward(Torch.tensor(new double[] {1, 2}, 2, 1)));
    }
  }
}
