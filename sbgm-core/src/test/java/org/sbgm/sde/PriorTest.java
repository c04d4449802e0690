package org.sbgm.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class PriorTest {
  static {
    Torch.init();
  }

  static List<Sde> sdes() {
    return List.of(new VpSde(), new SubVpSde(), new VeSde(), new VeSde(0.05, 3, 2));
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void priorDensityIsANormalisedGaussian(Sde sde) {
    double s = sde.priorStd();
    int n = 321;
    double lim = 8 * s;
    double h = 2 * lim / (n - 1);
    double[] grid = new double[2 * n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        grid[2 * (i * n + j)] = -lim + i * h;
        grid[2 * (i * n + j) + 1] = -lim + j * h;
      }
    }
    try (PointerScope scope = new PointerScope()) {
      double mass = sde.priorLogDensity(Torch.tensor(grid, n * n, 2)).exp().sum().item_double() * h * h;
      assertEquals(1.0, mass, 1e-9, sde + ": the prior integrates to 1 over R^2");

      double[] z = {0.3, -1.2, 2.0, 0.1, 0.0, 0.7, -3.1, 1.4, 0.2, -0.5, 1.1, 0.9};
      double[] lp = Torch.toDoubles(sde.priorLogDensity(Torch.tensor(z, 2, 3, 2)));
      for (int b = 0; b < 2; b++) {
        double q = 0;
        for (int i = 0; i < 6; i++) {
          q += z[6 * b + i] * z[6 * b + i];
        }
        double expected = -q / (2 * s * s) - 3 * Math.log(2 * Math.PI * s * s);
        assertEquals(expected, lp[b], 1e-12 * Math.abs(expected), sde + ": Gaussian formula, D = 6");
      }
      Tensor z32 = Torch.tensor(z, DType.FLOAT32, 2, 6);
      assertEquals(torch.ScalarType.Float, sde.priorLogDensity(z32).scalar_type().intern());
    }
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void priorSamplesHaveThePriorMoments(Sde sde) {
    double s = sde.priorStd();
    int n = 20000;
    try (PointerScope scope = new PointerScope()) {
      Tensor z = sde.samplePrior(n, new long[] {3}, Torch.generator(5), Torch.options(DType.FLOAT64));
      assertEquals(List.of(20000L, 3L), List.of(z.size(0), z.size(1)));
      double[] v = Torch.toDoubles(z);
      double mean = 0;
      double sq = 0;
      for (double x : v) {
        mean += x;
        sq += x * x;
      }
      mean /= v.length;
      double var = sq / v.length - mean * mean;
      assertEquals(0, mean, 4.5 * s / Math.sqrt(v.length), sde + ": prior mean");
      assertEquals(s * s, var, 4.5 * s * s * Math.sqrt(2.0 / v.length), sde + ": prior variance");
      double[] again = Torch.toDoubles(sde.samplePrior(n, new long[] {3}, Torch.generator(5), Torch.options(DType.FLOAT64)));
      assertEquals(v[123], again[123], 0.0, "the same seed replays the same draws");
      Tensor z32 = sde.samplePrior(4, new long[] {1, 2, 2}, Torch.generator(6), Torch.options(DType.FLOAT32));
      assertEquals(torch.ScalarType.Float, z32.scalar_type().intern());
      assertEquals(4, z32.dim());
    }
  }
}
