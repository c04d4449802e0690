package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** float32 states of any shape, flat native memory over many steps, and ownership of the results. */
@SuppressWarnings("try")
class IntegratorResourceTest {
  @BeforeAll
  static void boot() {
    Torch.init();
  }

  @Test
  void float32StateOfRankThreeWorks() {
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = TestProblems.oscillatorY0().to(DType.FLOAT32.scalarType()).reshape(TestProblems.OSC0.length, 1, 2);
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), y0, 0, 4, ExplicitRungeKutta.tsit5(),
          PidController.of(1e-5, 1e-5), SaveAt.times(2, 4), 10_000);
      assertEquals(torch.ScalarType.Float, sol.y().scalar_type().intern());
      assertEquals(3, sol.y().dim());
      double err = TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), TestProblems.oscillatorExact(4));
      double errMid = TestProblems.maxAbsDiff(Torch.toDoubles(sol.ys().get(0)), TestProblems.oscillatorExact(2));
      System.out.printf("float32 Tsit5 rtol=atol=1e-5: error %.2e at t=4, %.2e at t=2, NFE %d%n", err, errMid, sol.nfe());
      assertTrue(err < 2e-4 && errMid < 2e-4, "errors " + err + ", " + errMid);
    }
  }

  /** 1000 RK4 steps on a [64, 64] state allocate ~1.3 GB of temporaries; resident memory must stay flat. */
  @Test
  void longIntegrationsDoNotLeakNativeMemory() {
    VectorField decay = (t, y) -> y.mul(Torch.scalar(-0.001));
    double[] data = new double[64 * 64];
    java.util.Arrays.fill(data, 1.0);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.tensor(data, 64, 64);
      Integrator.solve(decay, y0, 0, 1, ExplicitRungeKutta.rk4(), ConstantStep.steps(100), SaveAt.finalOnly(), 1000); // warm-up
      long before = Pointer.physicalBytes();
      Solution sol = Integrator.solve(decay, y0, 0, 1, ExplicitRungeKutta.rk4(), ConstantStep.steps(1000), SaveAt.finalOnly(), 2000);
      long grown = Pointer.physicalBytes() - before;
      System.out.printf("RSS growth over 1000 RK4 steps on [64, 64]: %.1f MB%n", grown / 1e6);
      assertTrue(grown < 64e6, "resident memory grew by " + grown + " bytes");
      assertEquals(Math.exp(-0.001), Torch.toDoubles(sol.y())[0], 1e-12);
    }
  }

  /** 1000 predictor–corrector steps (corrector noise, Brownian increments) on [64, 64]: memory stays flat too. */
  @Test
  void longStochasticSolvesDoNotLeakNativeMemory() {
    CorrectedSolver<LangevinField> pc = new CorrectedSolver<>(new LangevinCorrector(0.16), 1, new EulerMaruyama());
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.randn(new long[] {64, 64}, Torch.generator(1), Torch.options(DType.FLOAT64));
      Integrator.solve(LangevinCorrectorTest.gaussian(), y0, 1, 0, pc, StepTo.grid(grid(100)),
          BrownianMotion.of(Torch.generator(2)), SaveAt.finalOnly(), 100, null); // warm-up
      long before = Pointer.physicalBytes();
      Solution sol = Integrator.solve(LangevinCorrectorTest.gaussian(), y0, 1, 0, pc, StepTo.grid(grid(1000)),
          BrownianMotion.withMeanLastStep(Torch.generator(3)), SaveAt.finalOnly(), 1000, null);
      long grown = Pointer.physicalBytes() - before;
      System.out.printf("RSS growth over 1000 predictor-corrector steps on [64, 64]: %.1f MB%n", grown / 1e6);
      assertTrue(grown < 64e6, "resident memory grew by " + grown + " bytes");
      assertEquals(2000, sol.nfe());
    }
  }

  /** n equal steps from 1 to 0. */
  private static double[] grid(int n) {
    double[] ts = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      ts[i] = 1 - (double) i / n;
    }
    return ts;
  }

  @Test
  void resultsBelongToTheCallersScopeOrToTheCaller() {
    Tensor inScope;
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 1,
          ExplicitRungeKutta.rk4(), ConstantStep.steps(10), SaveAt.times(0.5, 1), 100);
      inScope = sol.y();
      assertFalse(inScope.isNull());
      assertEquals(2, sol.ys().size());
    }
    assertTrue(inScope.isNull(), "the final state should be released with the caller's scope");

    Tensor y0 = TestProblems.oscillatorY0();
    Solution owned = Integrator.solve(TestProblems.forcedOscillator(), y0, 0, 1, ExplicitRungeKutta.rk4(),
        ConstantStep.steps(10), SaveAt.finalOnly(), 100);
    assertEquals(1, owned.y().referenceCount()); // held once, although it is also ys[0]
    double[] v = Torch.toDoubles(owned.y());
    assertTrue(TestProblems.maxAbsDiff(v, TestProblems.oscillatorExact(1)) < 1e-5);
    owned.y().close();
    assertTrue(owned.y().isNull());
    y0.close();
  }
}
