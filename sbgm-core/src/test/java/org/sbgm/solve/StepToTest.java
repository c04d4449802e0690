package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** {@link StepTo}: exact grid times, uneven grids at the solver's order, save times between grid points. */
@SuppressWarnings("try")
class StepToTest {
  @BeforeAll
  static void boot() {
    Torch.init();
  }

  /** t_i = T (i/N)²: steps that grow from 0 to T, as a sampler's quadratic grid does in reverse. */
  private static double[] quadratic(double tEnd, int n) {
    double[] ts = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      double u = (double) i / n;
      ts[i] = tEnd * u * u;
    }
    return ts;
  }

  @Test
  void stepsEndExactlyOnTheGridPoints() {
    double[] ts = {0, 0.1, 0.35, 0.4, 1.0 / 3 + 0.2, 1.1, 1.7};
    List<Double> visited = new ArrayList<>();
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 1.7,
          ExplicitRungeKutta.rk4(), StepTo.grid(ts), SaveAt.finalOnly(), ts.length - 1, (t, y, dt) -> visited.add(t));
      assertEquals(ts.length - 1, sol.accepted());
      assertArrayEquals(Arrays.copyOfRange(ts, 1, ts.length), visited.stream().mapToDouble(Double::doubleValue).toArray(), 0.0);
      assertEquals(4L * (ts.length - 1), sol.nfe());
    }
  }

  /** RK4 and Heun on uneven grids keep their order in the largest step (N = 20..160). */
  @Test
  void unevenGridsConvergeAtTheSolversOrder() {
    for (ExplicitRungeKutta rk : new ExplicitRungeKutta[] {ExplicitRungeKutta.heun(), ExplicitRungeKutta.rk4()}) {
      int[] ns = {20, 40, 80, 160};
      double[] h = new double[ns.length];
      double[] err = new double[ns.length];
      try (PointerScope s = new PointerScope()) {
        for (int i = 0; i < ns.length; i++) {
          double[] ts = quadratic(4, ns[i]);
          h[i] = ts[ns[i]] - ts[ns[i] - 1];
          Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 4, rk,
              StepTo.grid(ts), SaveAt.finalOnly(), ns[i]);
          err[i] = TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), TestProblems.oscillatorExact(4));
        }
      }
      double slope = TestProblems.slope(h, err);
      System.out.printf("%s on quadratic grids: errors %s slope %.3f%n", rk, Arrays.toString(err), slope);
      assertEquals(rk.order(), slope, 0.15, rk + " errors " + Arrays.toString(err));
    }
  }

  /** A save time between grid points splits that step (ODEs only) and the grid resumes after it. */
  @Test
  void anOdeSaveTimeBetweenGridPointsSplitsOneStep() {
    double[] ts = {2.0, 1.5, 0.7, 0.0};
    List<Double> visited = new ArrayList<>();
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(),
          org.sbgm.torch.Torch.tensor(TestProblems.oscillatorExact(2), TestProblems.OSC0.length, 2), 2, 0,
          ExplicitRungeKutta.rk4(), StepTo.grid(ts), SaveAt.times(1.0, 0.0), 10, (t, y, dt) -> visited.add(t));
      assertEquals(List.of(1.5, 1.0, 0.7, 0.0), visited);
      double err = TestProblems.maxAbsDiff(Torch.toDoubles(sol.ys().get(0)), TestProblems.oscillatorExact(1.0));
      // RK4 with steps up to 0.8 errs by about 1e-3; a state saved at a grid time instead would be off by ~0.3
      assertTrue(err < 1e-2, "the state saved at t = 1 is off by " + err);
    }
  }

  @Test
  void rejectsBadGridsAndAGridThatMissesTheInterval() {
    InvalidInputException flat = assertThrows(InvalidInputException.class, () -> StepTo.grid(0, 0.5, 0.5, 1));
    assertEquals("The time grid must be strictly monotone, but ts[2] = 0.5 follows ts[1] = 0.5.", flat.getMessage());
    assertThrows(InvalidInputException.class, () -> StepTo.grid(0));
    assertThrows(InvalidInputException.class, () -> StepTo.grid(0, Double.NaN, 1));
    try (PointerScope s = new PointerScope()) {
      InvalidInputException miss = assertThrows(InvalidInputException.class, () -> Integrator.solve(TestProblems.forcedOscillator(),
          TestProblems.oscillatorY0(), 0, 2, ExplicitRungeKutta.rk4(), StepTo.grid(0, 1, 1.5), SaveAt.finalOnly(), 10));
      assertTrue(miss.getMessage().contains("must start at t0 and end at t1"), miss.getMessage());
    }
  }
}
