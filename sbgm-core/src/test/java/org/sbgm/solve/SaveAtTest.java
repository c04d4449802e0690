package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/** Saved states against the closed form, forwards and backwards, adaptive and fixed steps. */
@SuppressWarnings("try")
class SaveAtTest {
  @BeforeAll
  static void boot() {
    Torch.init();
  }

  private static void assertSavedMatchExact(Solution sol, double[] times, double tol) {
    assertArrayEquals(times, sol.ts(), 0.0);
    assertEquals(times.length, sol.ys().size());
    for (int k = 0; k < times.length; k++) {
      double err = TestProblems.maxAbsDiff(Torch.toDoubles(sol.ys().get(k)), TestProblems.oscillatorExact(times[k]));
      assertTrue(err < tol, "t = " + times[k] + ": error " + err);
    }
  }

  @Test
  void adaptiveForwardsSavesAtRequestedTimes() {
    double[] times = {0, 0.5, 1.3, 1.3, 2.0, 3.7, 4.0};
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 4,
          ExplicitRungeKutta.dopri5(), PidController.of(1e-9, 1e-9), SaveAt.times(times), 10_000);
      assertSavedMatchExact(sol, times, 1e-7);
      assertArrayEquals(Torch.toDoubles(sol.y()), Torch.toDoubles(sol.ys().get(times.length - 1)), 0.0);
    }
  }

  @Test
  void adaptiveBackwardsSavesAtRequestedTimes() {
    double[] times = {3.0, 1.5, 0.25, 0};
    try (PointerScope s = new PointerScope()) {
      Tensor y4 = Torch.tensor(TestProblems.oscillatorExact(4), TestProblems.OSC0.length, 2);
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), y4, 4, 0, ExplicitRungeKutta.tsit5(),
          PidController.of(1e-9, 1e-9), SaveAt.times(times), 10_000);
      assertSavedMatchExact(sol, times, 1e-7);
    }
  }

  /** Grid 0.3, 0.6, 0.9, 1.2 plus the save time 0.45: five accepted steps, and the grid resumes after it. */
  @Test
  void fixedStepsLandOnSaveTimesAndResumeTheGrid() {
    List<Double> visited = new ArrayList<>();
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 1.2,
          ExplicitRungeKutta.rk4(), ConstantStep.of(0.3), SaveAt.times(0.45, 1.0), 100, (t, y, dt) -> visited.add(t));
      assertEquals(6, sol.accepted());
      assertEquals(List.of(0.3, 0.45, 0.6, 0.9, 1.0, 1.2), visited.stream().map(t -> Math.round(t * 1e12) / 1e12).toList());
      assertSavedMatchExact(sol, new double[] {0.45, 1.0}, 5e-4); // RK4 with h = 0.3; a state saved at a wrong time would be off by ~0.1
    }
  }

  @Test
  void lastFixedStepIsShortenedToLandOnT1() {
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 1.0,
          ExplicitRungeKutta.rk4(), ConstantStep.of(0.3), SaveAt.finalOnly(), 100);
      assertEquals(4, sol.accepted());
      assertArrayEquals(new double[] {1.0}, sol.ts(), 0.0);
      assertTrue(TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), TestProblems.oscillatorExact(1.0)) < 1e-3);
    }
  }

  @Test
  void emptyIntervalReturnsACopyOfTheInitialState() {
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = TestProblems.oscillatorY0();
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), y0, 1, 1, ExplicitRungeKutta.rk4(),
          ConstantStep.steps(3), SaveAt.finalOnly(), 10);
      assertEquals(0, sol.nfe());
      assertArrayEquals(Torch.toDoubles(y0), Torch.toDoubles(sol.y()), 0.0);
    }
  }

  @Test
  void rejectsSaveTimesOutsideOrAgainstTheDirection() {
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = TestProblems.oscillatorY0();
      IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> Integrator.solve(
          TestProblems.forcedOscillator(), y0, 0, 1, ExplicitRungeKutta.rk4(), ConstantStep.steps(4), SaveAt.times(0.5, 1.5), 10));
      assertTrue(outside.getMessage().contains("1.5 lies outside"), outside.getMessage());
      IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> Integrator.solve(
          TestProblems.forcedOscillator(), y0, 1, 0, ExplicitRungeKutta.rk4(), ConstantStep.steps(4), SaveAt.times(0.2, 0.8), 10));
      assertTrue(order.getMessage().contains("ordered in the direction"), order.getMessage());
    }
  }
}
