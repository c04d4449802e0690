package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The Langevin corrector's formula against a hand computation, the composite step's counting and noise
 * order, and a corrector's stationary law: on N(0, V) a chain of corrector moves keeps N(0, V) up to
 * the O(ε) bias of the unadjusted Langevin algorithm.
 */
@SuppressWarnings("try")
class LangevinCorrectorTest {
  private static final double V = 0.5;

  @BeforeAll
  static void boot() {
    Torch.init();
  }

  /** The reverse SDE of OU-like dynamics with score −y/V and m(t) = e^{−t}. */
  static LangevinField gaussian() {
    return new LangevinField() {
      @Override
      public Tensor at(double t, Tensor y) {
        return y.mul(Torch.scalar(-0.5));
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return Torch.full(new long[0], 0.7, y);
      }

      @Override
      public Tensor score(double t, Tensor y) {
        return y.mul(Torch.scalar(-1 / V));
      }

      @Override
      public double meanCoefficient(double t) {
        return Math.exp(-t);
      }
    };
  }

  @Test
  void oneMoveIsXPlusEpsScorePlusRootTwoEpsZ() {
    double[] x = {1.0, -0.5, 0.3, 2.0, -1.5, 0.25};
    double snr = 0.2;
    double t0 = 0.4;
    double t1 = 0.3;
    try (PointerScope s = new PointerScope()) {
      Tensor y = Torch.tensor(x, 3, 2);
      Step step = new LangevinCorrector(snr).step(gaussian(), t0, t1, y, null, new GeneratorNoise(y, t1 - t0, Torch.generator(3), true));
      double[] z = Torch.toDoubles(Torch.randn(new long[] {3, 2}, Torch.generator(3), Torch.options(DType.FLOAT64)));
      double zNorm = 0;
      double sNorm = 0;
      for (int b = 0; b < 3; b++) {
        zNorm += Math.hypot(z[2 * b], z[2 * b + 1]) / 3;
        sNorm += Math.hypot(x[2 * b], x[2 * b + 1]) / V / 3;
      }
      double alpha = Math.exp(-2 * t0) / Math.exp(-2 * t1);
      double eps = 2 * alpha * Math.pow(snr * zNorm / sNorm, 2);
      double[] got = Torch.toDoubles(step.y());
      for (int i = 0; i < 6; i++) {
        assertEquals(x[i] - eps * x[i] / V + Math.sqrt(2 * eps) * z[i], got[i], 1e-14);
      }
      assertEquals(1, step.evaluations());
    }
  }

  /** With zero corrector steps the composite is Euler–Maruyama bit for bit; with k it costs k + 1 per step. */
  @Test
  void compositeCountsAndDrawsInOrder() {
    double[] ts = {1.0, 0.8, 0.5, 0.2, 0.05};
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.randn(new long[] {64, 3}, Torch.generator(1), Torch.options(DType.FLOAT64));
      Solution em = Integrator.solve(gaussian(), y0, 1.0, 0.05, new EulerMaruyama(), StepTo.grid(ts),
          BrownianMotion.withMeanLastStep(Torch.generator(9)), SaveAt.finalOnly(), 4, null);
      Solution pc0 = Integrator.solve(gaussian(), y0, 1.0, 0.05, new CorrectedSolver<LangevinField>(new LangevinCorrector(0.16), 0,
          new EulerMaruyama()), StepTo.grid(ts), BrownianMotion.withMeanLastStep(Torch.generator(9)), SaveAt.finalOnly(), 4, null);
      assertArrayEquals(Torch.toDoubles(em.y()), Torch.toDoubles(pc0.y()), 0.0);
      assertEquals(4, pc0.nfe());
      Solution pc2 = Integrator.solve(gaussian(), y0, 1.0, 0.05, new CorrectedSolver<LangevinField>(new LangevinCorrector(0.16), 2,
          new EulerMaruyama()), StepTo.grid(ts), BrownianMotion.withMeanLastStep(Torch.generator(9)), SaveAt.finalOnly(), 4, null);
      assertEquals(12, pc2.nfe());
      assertEquals(4, pc2.accepted());
    }
  }

  /** 400 moves of a chain of 20000 samples from N(0, 4V): the variance relaxes to about V. */
  @Test
  void movesRelaxToTheTargetVariance() {
    LangevinCorrector corrector = new LangevinCorrector(0.1);
    Generator g = Torch.generator(11);
    try (PointerScope s = new PointerScope()) {
      Tensor y = Torch.retain(Torch.randn(new long[] {20_000, 2}, g, Torch.options(DType.FLOAT64)).mul(Torch.scalar(2 * Math.sqrt(V))));
      for (int k = 0; k < 400; k++) {
        try (PointerScope step = new PointerScope()) {
          Tensor next = Torch.retain(corrector.step(gaussian(), 0.5, 0.5, y, null, new GeneratorNoise(y, 0, g, false)).y());
          y.releaseReference();
          y = next;
        }
      }
      double var = y.square().mean().item_double();
      y.releaseReference();
      // ε = 2 (r ‖z‖/‖s‖)² ≈ 2 r² V at stationarity (‖z‖² ≈ D, ‖s‖² ≈ D/V); ULA's variance is V/(1 − ε/(2V)).
      // The Monte-Carlo standard error of the variance is V √(2/40000) ≈ 0.007 V; the start was 4V.
      double eps = 2 * 0.01 * V;
      double expected = V / (1 - eps / (2 * V));
      System.out.printf("Langevin chain variance %.5f, expected %.5f (target %.2f)%n", var, expected, V);
      assertEquals(expected, var, 0.02 * V);
    }
  }

  @Test
  void aCorrectorAloneOrMisplacedIsRejected() {
    assertThrows(InvalidInputException.class, () -> new LangevinCorrector(0));
    assertThrows(InvalidInputException.class, () -> new LangevinCorrector(Double.NaN));
    assertThrows(InvalidInputException.class, () -> new CorrectedSolver<LangevinField>(new LangevinCorrector(0.1), -1, new EulerMaruyama()));
    assertThrows(InvalidInputException.class, () -> new CorrectedSolver<LangevinField>(new EulerMaruyama(), 1, new EulerMaruyama()));
    assertThrows(InvalidInputException.class,
        () -> new CorrectedSolver<LangevinField>(new LangevinCorrector(0.1), 1, new LangevinCorrector(0.1)));
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.tensor(new double[] {1, 2}, 1, 2);
      InvalidInputException alone = assertThrows(InvalidInputException.class, () -> Integrator.solve(gaussian(), y0, 1, 0,
          new LangevinCorrector(0.1), ConstantStep.steps(2), BrownianMotion.of(Torch.generator(1)), SaveAt.finalOnly(), 10, null));
      assertTrue(alone.getMessage().contains("CorrectedSolver"), alone.getMessage());
      InvalidInputException noNoise = assertThrows(InvalidInputException.class, () -> Integrator.solve(gaussian(), y0, 1, 0,
          new EulerMaruyama(), ConstantStep.steps(2), SaveAt.finalOnly(), 10));
      assertTrue(noNoise.getMessage().contains("BrownianMotion"), noNoise.getMessage());
    }
  }
}
