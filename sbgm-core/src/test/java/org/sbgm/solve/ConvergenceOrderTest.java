package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sbgm.torch.Torch;

/** Fixed-step global error slopes (and embedded local-error slopes) against closed forms. */
@SuppressWarnings("try")
class ConvergenceOrderTest {

  @BeforeAll
  static void boot() {
    Torch.init();
  }

  static ExplicitRungeKutta solver(String name) {
    switch (name) {
      case "euler": return ExplicitRungeKutta.euler();
      case "heun": return ExplicitRungeKutta.heun();
      case "midpoint": return ExplicitRungeKutta.midpoint();
      case "rk4": return ExplicitRungeKutta.rk4();
      case "bosh3": return ExplicitRungeKutta.bosh3();
      case "dopri5": return ExplicitRungeKutta.dopri5();
      case "tsit5": return ExplicitRungeKutta.tsit5();
      default: throw new IllegalArgumentException(name);
    }
  }

  /** Max errors at T over the batch for N fixed steps each; also checks the step and NFE counts. */
  private static double[] errors(ExplicitRungeKutta rk, VectorField f, Supplier<Tensor> y0, double[] exact, double tEnd, int[] ns) {
    double[] err = new double[ns.length];
    try (PointerScope s = new PointerScope()) {
      for (int i = 0; i < ns.length; i++) {
        Solution sol = Integrator.solve(f, y0.get(), 0, tEnd, rk, ConstantStep.steps(ns[i]), SaveAt.finalOnly(), 10_000);
        assertEquals(ns[i], sol.accepted());
        assertEquals(0, sol.rejected());
        int stages = rk.tableau().stages();
        long expectedNfe = rk.tableau().fsal() ? 1 + (long) ns[i] * (stages - 1) : (long) ns[i] * stages;
        assertEquals(expectedNfe, sol.nfe());
        err[i] = TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), exact);
      }
    }
    return err;
  }

  private static double[] steps(double tEnd, int[] ns) {
    return Arrays.stream(ns).mapToDouble(n -> tEnd / n).toArray();
  }

  /** Forced oscillator x'' + x = cos 2t on [0, 4], N = 40..320: slope within 0.1 of the order. */
  @ParameterizedTest
  @ValueSource(strings = {"euler", "heun", "midpoint", "rk4", "bosh3", "dopri5", "tsit5"})
  void globalErrorSlopeMatchesOrder(String name) {
    ExplicitRungeKutta rk = solver(name);
    int[] ns = {40, 80, 160, 320};
    double tEnd = 4;
    double[] err = errors(rk, TestProblems.forcedOscillator(), TestProblems::oscillatorY0, TestProblems.oscillatorExact(tEnd), tEnd, ns);
    double slope = TestProblems.slope(steps(tEnd, ns), err);
    System.out.printf("%s forced oscillator: errors %s slope %.3f%n", name, Arrays.toString(err), slope);
    assertEquals(rk.order(), slope, 0.1, name + " errors " + Arrays.toString(err));
  }

  /**
   * Nonlinear Riccati + logistic on [0, 2], N = 20..160. High-order pairs approach their order from
   * above here (their leading error constants are tuned small, so the next term still shows), hence
   * a one-sided window: at least p − 0.1 (a wrong coefficient drops the order by one) and at most p + 0.5.
   */
  @ParameterizedTest
  @ValueSource(strings = {"euler", "heun", "midpoint", "rk4", "bosh3", "dopri5", "tsit5"})
  void nonlinearErrorSlopeReachesOrder(String name) {
    ExplicitRungeKutta rk = solver(name);
    int[] ns = {20, 40, 80, 160};
    double tEnd = 2;
    double[] err = errors(rk, TestProblems.nonlinear(), TestProblems::nonlinearY0, TestProblems.nonlinearExact(tEnd), tEnd, ns);
    double slope = TestProblems.slope(steps(tEnd, ns), err);
    System.out.printf("%s nonlinear: errors %s slope %.3f%n", name, Arrays.toString(err), slope);
    assertTrue(slope > rk.order() - 0.1 && slope < rk.order() + 0.5, name + " slope " + slope + " errors " + Arrays.toString(err));
  }

  /** One step of size h from t = 0.3: |y₁ − ŷ₁| = O(h^{min(p, p̂)+1}). */
  @ParameterizedTest
  @ValueSource(strings = {"heun", "bosh3", "dopri5", "tsit5"})
  void embeddedErrorEstimateSlopeMatchesErrorOrder(String name) {
    ExplicitRungeKutta rk = solver(name);
    double[] h = {0.05, 0.025, 0.0125, 0.00625};
    double[] err = new double[h.length];
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = TestProblems.nonlinearY0();
      for (int i = 0; i < h.length; i++) {
        Step step = rk.step(TestProblems.nonlinear(), 0.3, 0.3 + h[i], y0, null, null);
        err[i] = Arrays.stream(Torch.toDoubles(step.error().abs())).max().orElseThrow();
      }
    }
    double slope = TestProblems.slope(h, err);
    System.out.printf("%s embedded: estimates %s slope %.3f%n", name, Arrays.toString(err), slope);
    assertEquals(rk.tableau().errorOrder(), slope, 0.1, name + " estimates " + Arrays.toString(err));
  }
}
