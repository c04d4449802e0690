package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class TimeSamplerTest {
  @Test
  void stratifiedTimesHaveExactlyOnePerStratumWithinRange() {
    Torch.init();
    double eps = 1e-5;
    double horizon = 1.0;
    TimeSampler s = new TimeSampler(eps, horizon, true);
    for (int n : new int[] {1, 7, 64, 1000}) {
      for (long seed = 0; seed < 20; seed++) {
        try (PointerScope scope = new PointerScope()) {
          double[] t = Torch.toDoubles(s.sample(n, Torch.generator(seed)));
          int[] count = new int[n];
          for (double v : t) {
            assertTrue(v >= eps && v <= horizon, "time " + v + " outside [eps, T]");
            int k = (int) Math.floor((v - eps) / (horizon - eps) * n);
            count[Math.min(k, n - 1)]++;
          }
          for (int k = 0; k < n; k++) {
            assertEquals(1, count[k], "stratum " + k + " of " + n + " (seed " + seed + ")");
          }
        }
      }
    }
  }

  @Test
  void uniformTimesAreUniformAndReplay() {
    Torch.init();
    TimeSampler s = new TimeSampler(0.1, 2.0, false);
    try (PointerScope scope = new PointerScope()) {
      double[] t = Torch.toDoubles(s.sample(100_000, Torch.generator(3)));
      double mean = Arrays.stream(t).average().orElseThrow();
      assertTrue(Arrays.stream(t).allMatch(v -> v >= 0.1 && v <= 2.0));
      // mean of U[0.1, 2] is 1.05 with standard error 1.9/sqrt(12 n) = 0.0017
      assertEquals(1.05, mean, 0.007);
      assertArrayEquals(Torch.toDoubles(s.sample(5, Torch.generator(9))), Torch.toDoubles(s.sample(5, Torch.generator(9))), 0.0);
    }
  }

  @Test
  void rejectsBadRange() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new TimeSampler(1.0, 1.0, true));
    assertEquals("epsilon must lie in [0, T) = [0, 1.0), got 1.0", e.getMessage());
  }
}
