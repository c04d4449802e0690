package org.sbgm.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Euler–Maruyama paths of dx = f dt + g dw from a 2-D point mass x₀ must have mean m(t) x₀ and
 * per-coordinate variance σ(t)² (the kernel the SDE claims), to Monte-Carlo error. The drift is taken
 * at the left end of each step and g at its midpoint (so Σ g² Δt has O(Δt²) error for the VE SDE,
 * whose g grows like e^{t ln(σ_max/σ_min)}).
 */
class ForwardSimulationTest {
  private static final int PATHS = 20000;
  private static final int STEPS = 1000;
  private static final double[] X0 = {1.5, -0.5};
  private static final double[] CHECK_AT = {0.2, 0.5, 1.0};

  private static int threadsBefore;

  static {
    Torch.init();
  }

  /** Small tensors: one intra-op thread avoids stalls on a busy machine (restored afterwards). */
  @BeforeAll
  static void oneThread() {
    threadsBefore = Torch.threads();
    Torch.setThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    Torch.setThreads(threadsBefore);
  }

  static List<Sde> sdes() {
    return List.of(new VpSde(), new SubVpSde(), new VeSde(0.01, 5));
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void eulerMaruyamaMatchesTheKernel(Sde sde) {
    Generator gen = Torch.generator(1234);
    double horizon = sde.horizon();
    double dt = horizon / STEPS;
    Tensor x = Torch.tensor(new double[] {X0[0], X0[1]}, 1, 2).expand(PATHS, 2).contiguous();
    x.retainReference();
    int next = 0;
    for (int n = 0; n < STEPS; n++) {
      double t = n * dt;
      try (PointerScope s = new PointerScope()) {
        Tensor noise = Torch.randn(new long[] {PATHS, 2}, gen, Torch.options(DType.FLOAT64));
        x.add_(sde.drift(x, t), Torch.scalar(dt)).add_(noise, Torch.scalar(sde.diffusion(t + 0.5 * dt) * Math.sqrt(dt)));
      }
      double reached = (n + 1) * dt;
      if (next < CHECK_AT.length && Math.abs(reached - CHECK_AT[next] * horizon) < dt / 2) {
        check(sde, x, reached);
        next++;
      }
    }
    assertEquals(CHECK_AT.length, next, "every checkpoint was visited");
    x.releaseReference();
  }

  private static void check(Sde sde, Tensor x, double t) {
    double[] v = Torch.toDoubles(x);
    double m = sde.meanCoefficient(t);
    double sigma = sde.marginalStd(t);
    double pooledVar = 0;
    for (int i = 0; i < 2; i++) {
      double mean = 0;
      for (int p = 0; p < PATHS; p++) {
        mean += v[2 * p + i];
      }
      mean /= PATHS;
      double var = 0;
      for (int p = 0; p < PATHS; p++) {
        var += (v[2 * p + i] - mean) * (v[2 * p + i] - mean);
      }
      var /= PATHS - 1;
      pooledVar += var / 2;
      double se = sigma / Math.sqrt(PATHS);
      System.out.printf("%s t=%.2f coordinate %d: mean %.5f vs %.5f (%.2f SE)%n", sde, t, i, mean, m * X0[i],
          (mean - m * X0[i]) / se);
      assertEquals(m * X0[i], mean, 4.5 * se, sde + ": mean of coordinate " + i + " at t=" + t);
    }
    double seVar = sigma * sigma * Math.sqrt(2.0 / (2 * PATHS - 2));
    System.out.printf("%s t=%.2f: variance %.5f vs %.5f (%.2f SE)%n", sde, t, pooledVar, sigma * sigma,
        (pooledVar - sigma * sigma) / seVar);
    assertEquals(sigma * sigma, pooledVar, 4.5 * seVar, sde + ": variance at t=" + t);
  }
}
