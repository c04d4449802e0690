package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sbgm.torch.Torch;

/** Adaptive Dopri5/Tsit5 against Hipparchus' Dormand–Prince 5(4) on Van der Pol, both directions. */
@SuppressWarnings("try")
class AdaptiveSolveTest {
  private static final double MU = 1.0;
  /** Starting points inside the limit cycle: stable both forwards (to the cycle) and backwards (to 0). */
  private static final double[][] STARTS = {{1.0, 0.0}, {0.5, 0.5}, {-1.0, 0.5}};

  @BeforeAll
  static void boot() {
    Torch.init();
  }

  /** x' = v, v' = μ(1 − x²)v − x on a [B, 2] state. */
  static VectorField vanDerPol() {
    return (t, y) -> {
      Tensor x = y.narrow(1, 0, 1);
      Tensor v = y.narrow(1, 1, 1);
      Tensor dv = x.square().neg().add(Torch.scalar(1)).mul(v).mul(Torch.scalar(MU)).sub(x);
      return org.bytedeco.pytorch.global.torch.cat(new org.bytedeco.pytorch.TensorVector(v, dv), 1);
    };
  }

  private static final class VdpOde implements OrdinaryDifferentialEquation {
    @Override
    public int getDimension() {
      return 2;
    }

    @Override
    public double[] computeDerivatives(double t, double[] y) {
      return new double[] {y[1], MU * (1 - y[0] * y[0]) * y[1] - y[0]};
    }
  }

  /** Hipparchus DP54 for each start separately; returns the flattened final states and the total evaluations. */
  private static double[] hipparchus(double t0, double t1, double tol, int[] evaluations) {
    double[] out = new double[STARTS.length * 2];
    evaluations[0] = 0;
    for (int i = 0; i < STARTS.length; i++) {
      DormandPrince54Integrator dp = new DormandPrince54Integrator(1e-12, 10, tol, tol);
      ODEStateAndDerivative end = dp.integrate(new VdpOde(), new ODEState(t0, STARTS[i]), t1);
      System.arraycopy(end.getPrimaryState(), 0, out, 2 * i, 2);
      evaluations[0] = Math.max(evaluations[0], dp.getEvaluations());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"dopri5, 0, 5", "dopri5, 5, 0", "tsit5, 0, 5", "tsit5, 5, 0"})
  void matchesHipparchusDormandPrince(String name, double t0, double t1) {
    ExplicitRungeKutta rk = ConvergenceOrderTest.solver(name);
    int[] hipEvals = new int[1];
    double[] reference = hipparchus(t0, t1, 1e-13, new int[1]);
    double[] hip = hipparchus(t0, t1, 1e-10, hipEvals);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.tensor(TestProblems.flatten(STARTS), STARTS.length, 2);
      Solution sol = Integrator.solve(vanDerPol(), y0, t0, t1, rk, PidController.of(1e-10, 1e-10), SaveAt.finalOnly(), 100_000);
      double[] ours = Torch.toDoubles(sol.y());
      double vsHip = TestProblems.maxAbsDiff(ours, hip);
      double vsRef = TestProblems.maxAbsDiff(ours, reference);
      System.out.printf("%s %s->%s: |ours - DP54(1e-10)| = %.2e, |ours - DP54(1e-13)| = %.2e, |DP54(1e-10) - DP54(1e-13)| = %.2e; "
          + "NFE %d, accepted %d, rejected %d; Hipparchus evaluations (max over samples) %d%n", name, t0, t1, vsHip, vsRef,
          TestProblems.maxAbsDiff(hip, reference), sol.nfe(), sol.accepted(), sol.rejected(), hipEvals[0]);
      assertTrue(vsHip < 1e-8, "difference to Hipparchus " + vsHip);
      assertTrue(vsRef < 1e-8, "difference to the tight reference " + vsRef);
      // FSAL accounting: F(t0, y0) and Hairer's probe, then 6 new stages per attempted step.
      assertEquals(2 + 6L * (sol.accepted() + sol.rejected()), sol.nfe());
      assertTrue(sol.accepted() > 50 && sol.accepted() < 2000, "accepted " + sol.accepted());
      assertTrue(sol.rejected() < sol.accepted() / 4 + 5, "rejected " + sol.rejected());
      assertTrue(sol.nfe() < 3 * hipEvals[0], "NFE " + sol.nfe() + " vs Hipparchus " + hipEvals[0]);
      assertEquals(Solution.Status.SUCCESS, sol.status());
      assertArrayEquals(new double[] {t1}, sol.ts());
    }
  }

  @ParameterizedTest
  @CsvSource({"bosh3, 1e-6", "heun, 1e-4"})
  void lowerOrderPairsMeetTheirTolerance(String name, double tol) {
    ExplicitRungeKutta rk = ConvergenceOrderTest.solver(name);
    try (PointerScope s = new PointerScope()) {
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 4, rk,
          PidController.of(tol, tol).withInitialStep(0.01), SaveAt.finalOnly(), 100_000);
      double err = TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), TestProblems.oscillatorExact(4));
      System.out.printf("%s tol %.0e: error %.2e, NFE %d, accepted %d, rejected %d%n", name, tol, err, sol.nfe(), sol.accepted(), sol.rejected());
      assertTrue(err < 100 * tol && err > 1e-4 * tol, "error " + err);
      int stages = rk.tableau().stages();
      // k1 is reused after a rejection; an FSAL method also reuses it after an acceptance.
      long expected = rk.tableau().fsal() ? 1 + (stages - 1L) * (sol.accepted() + sol.rejected())
          : sol.accepted() * (long) stages + sol.rejected() * (stages - 1L);
      assertEquals(expected, sol.nfe());
    }
  }

  @ParameterizedTest
  @CsvSource({"0.0, 1.0", "0.4, 0.3", "0.2, 0.4"})
  void pidCoefficientsStillMeetTolerance(double p, double i) {
    try (PointerScope s = new PointerScope()) {
      PidController c = PidController.of(1e-8, 1e-8).withCoefficients(p, i, 0);
      Solution sol = Integrator.solve(TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 4,
          ExplicitRungeKutta.tsit5(), c, SaveAt.finalOnly(), 100_000);
      double err = TestProblems.maxAbsDiff(Torch.toDoubles(sol.y()), TestProblems.oscillatorExact(4));
      System.out.printf("PID (%.1f, %.1f, 0): error %.2e, accepted %d, rejected %d%n", p, i, err, sol.accepted(), sol.rejected());
      assertTrue(err < 1e-6, "error " + err);
    }
  }
}
