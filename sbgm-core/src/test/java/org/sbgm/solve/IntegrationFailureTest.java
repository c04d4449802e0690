package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/** Failures throw IntegrationException naming t and the NFE; bad configurations throw IllegalArgumentException. */
@SuppressWarnings("try")
class IntegrationFailureTest {
  @BeforeAll
  static void boot() {
    Torch.init();
  }

  /** y' = −y, but NaN from t &gt; 0.5 on. */
  private static VectorField nanAfterHalf() {
    return (t, y) -> t > 0.5 ? y.mul(Torch.scalar(Double.NaN)) : y.neg();
  }

  private static void assertNamesTimeAndNfe(IntegrationException e) {
    assertTrue(e.getMessage().contains("at t = " + e.time()), e.getMessage());
    assertTrue(e.getMessage().contains("NFE = " + e.nfe()), e.getMessage());
  }

  @Test
  void exceedingMaxStepsThrows() {
    try (PointerScope s = new PointerScope()) {
      IntegrationException e = assertThrows(IntegrationException.class, () -> Integrator.solve(TestProblems.forcedOscillator(),
          TestProblems.oscillatorY0(), 0, 4, ExplicitRungeKutta.dopri5(), PidController.of(1e-10, 1e-10), SaveAt.finalOnly(), 5));
      assertNamesTimeAndNfe(e);
      assertTrue(e.getMessage().contains("maxSteps = 5"), e.getMessage());
      assertEquals(2 + 6 * 5, e.nfe());
      assertTrue(e.time() > 0 && e.time() < 4, "t = " + e.time());
    }
  }

  @Test
  void nonFiniteStateWithFixedStepsThrowsAtOnce() {
    try (PointerScope s = new PointerScope()) {
      IntegrationException e = assertThrows(IntegrationException.class, () -> Integrator.solve(nanAfterHalf(),
          TestProblems.oscillatorY0(), 0, 1, ExplicitRungeKutta.euler(), ConstantStep.steps(10), SaveAt.finalOnly(), 100));
      assertNamesTimeAndNfe(e);
      assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
      assertEquals(0.6, e.time(), 1e-12); // the first step that evaluates F at t > 0.5 starts at 0.6
      assertEquals(7, e.nfe());
    }
  }

  @Test
  void nonFiniteStateWithAdaptiveStepsThrowsOnceStepsCannotShrink() {
    try (PointerScope s = new PointerScope()) {
      IntegrationException e = assertThrows(IntegrationException.class, () -> Integrator.solve(nanAfterHalf(),
          TestProblems.oscillatorY0(), 0, 1, ExplicitRungeKutta.dopri5(), PidController.of(1e-6, 1e-6), SaveAt.finalOnly(), 1000));
      assertNamesTimeAndNfe(e);
      assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
      assertTrue(e.time() <= 0.5 && e.time() > 0.4, "t = " + e.time());
    }
  }

  /** A predictor–corrector solve whose drift turns NaN below t = 0.5 fails in the loop, naming t and the NFE. */
  @Test
  void nonFiniteStochasticStateThrowsTheSameException() {
    LangevinField nanBelowHalf = new LangevinField() {
      @Override
      public org.bytedeco.pytorch.Tensor at(double t, org.bytedeco.pytorch.Tensor y) {
        return t < 0.5 ? y.mul(Torch.scalar(Double.NaN)) : y.neg();
      }

      @Override
      public org.bytedeco.pytorch.Tensor diffusion(double t, org.bytedeco.pytorch.Tensor y) {
        return Torch.full(new long[0], 0.3, y);
      }

      @Override
      public org.bytedeco.pytorch.Tensor score(double t, org.bytedeco.pytorch.Tensor y) {
        return y.neg();
      }

      @Override
      public double meanCoefficient(double t) {
        return 1;
      }
    };
    double[] ts = new double[11];
    for (int i = 0; i <= 10; i++) {
      ts[i] = 1 - i / 10.0;
    }
    try (PointerScope s = new PointerScope()) {
      IntegrationException e = assertThrows(IntegrationException.class, () -> Integrator.solve(nanBelowHalf,
          TestProblems.oscillatorY0(), 1, 0, new CorrectedSolver<LangevinField>(new LangevinCorrector(0.16), 1, new EulerMaruyama()),
          StepTo.grid(ts), BrownianMotion.withMeanLastStep(Torch.generator(1)), SaveAt.finalOnly(), 10, null));
      assertNamesTimeAndNfe(e);
      assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
      assertEquals(0.4, e.time(), 1e-12); // the first drift evaluated below 0.5 is the predictor's at 0.4
      assertEquals(14, e.nfe()); // 7 steps of one corrector and one predictor evaluation
    }
  }

  @Test
  void stepBelowDtminThrows() {
    try (PointerScope s = new PointerScope()) {
      IntegrationException e = assertThrows(IntegrationException.class, () -> Integrator.solve(TestProblems.forcedOscillator(),
          TestProblems.oscillatorY0(), 0, 4, ExplicitRungeKutta.bosh3(),
          PidController.of(1e-12, 1e-12).withStepBounds(0.1, Double.POSITIVE_INFINITY), SaveAt.finalOnly(), 1000));
      assertNamesTimeAndNfe(e);
      assertTrue(e.getMessage().contains("below dtmin = 0.1"), e.getMessage());
    }
  }

  @Test
  void rejectsBadConfigurations() {
    try (PointerScope s = new PointerScope()) {
      IllegalArgumentException noEstimate = assertThrows(IllegalArgumentException.class, () -> Integrator.solve(
          TestProblems.forcedOscillator(), TestProblems.oscillatorY0(), 0, 1, ExplicitRungeKutta.rk4(),
          PidController.of(1e-6, 1e-6), SaveAt.finalOnly(), 100));
      assertTrue(noEstimate.getMessage().contains("RK4 has none"), noEstimate.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> PidController.of(0, 0));
    assertThrows(IllegalArgumentException.class, () -> PidController.of(-1e-6, 1e-6));
    assertThrows(IllegalArgumentException.class, () -> PidController.of(1e-6, 1e-6).withFactors(0.2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> ConstantStep.of(-0.1));
    assertThrows(IllegalArgumentException.class, () -> ConstantStep.steps(0));
  }
}
