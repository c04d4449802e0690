package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * The two error norms of {@link PidController}: their values on a known error, and on a batch of harmonic
 * oscillators where one sample is ten times faster than the others, what each promises: the per-sample
 * maximum holds every sample to the tolerance; one RMS over the batch lets the fast sample's error be diluted
 * by the slow ones, takes fewer steps, and is less accurate on that sample.
 */
@SuppressWarnings("try")
class ErrorNormTest {
  private static final int SLOW = 63;
  private static final double FAST_OMEGA = 10;
  private static final double T1 = 2;
  private static final double TOL = 1e-6;

  @BeforeAll
  static void boot() {
    Torch.init();
  }

  @Test
  void normsOfAKnownError() {
    try (PointerScope scope = new PointerScope()) {
      Tensor e = Torch.tensor(new double[] {3, 0, 0, 0}, 2, 2);
      Tensor one = Torch.tensor(new double[] {1, 1, 1, 1}, 2, 2);
      assertEquals(Math.sqrt(4.5), PidController.Norm.PER_SAMPLE_MAX.of(e, one), 1e-12);
      assertEquals(1.5, PidController.Norm.WHOLE_STATE_RMS.of(e, one), 1e-12);
      Tensor half = Torch.tensor(new double[] {0.5, 1, 1, 1}, 2, 2);
      assertEquals(3.0, PidController.Norm.WHOLE_STATE_RMS.of(e, half), 1e-12); // (3 / 0.5)² / 4 = 9
      assertEquals(PidController.Norm.PER_SAMPLE_MAX, PidController.of(1e-5, 1e-5).norm());
      assertThrows(InvalidInputException.class, () -> PidController.of(1e-5, 1e-5).withNorm(null));
    }
  }

  /** y' = ω z, z' = −ω y per sample, ω = 1 for the first 63 samples and 10 for the last; from (1, 0). */
  private static VectorField oscillators(Tensor omega) {
    return (t, s) -> {
      Tensor y = s.narrow(1, 0, 1);
      Tensor z = s.narrow(1, 1, 1);
      return torch.cat(new TensorVector(z.mul(omega), y.mul(omega).neg()), 1);
    };
  }

  private record Run(long nfe, double slowError, double fastError) {}

  private static Run solve(PidController.Norm norm) {
    try (PointerScope scope = new PointerScope()) {
      int b = SLOW + 1;
      double[] w = new double[b];
      double[] s0 = new double[2 * b];
      for (int i = 0; i < b; i++) {
        w[i] = i < SLOW ? 1 : FAST_OMEGA;
        s0[2 * i] = 1;
      }
      Tensor omega = Torch.tensor(w, b, 1);
      Solution sol = Integrator.solve(oscillators(omega), Torch.tensor(s0, b, 2), 0, T1, ExplicitRungeKutta.dopri5(),
          PidController.of(TOL, TOL).withNorm(norm), SaveAt.finalOnly(), 100_000);
      double[] y = Torch.toDoubles(sol.y());
      double slow = 0;
      for (int i = 0; i < SLOW; i++) {
        slow = Math.max(slow, Math.hypot(y[2 * i] - Math.cos(T1), y[2 * i + 1] + Math.sin(T1)));
      }
      double fast = Math.hypot(y[2 * SLOW] - Math.cos(FAST_OMEGA * T1), y[2 * SLOW + 1] + Math.sin(FAST_OMEGA * T1));
      return new Run(sol.nfe(), slow, fast);
    }
  }

  @Test
  void perSampleHoldsEverySampleAndBatchRmsDilutesTheHardOne() {
    Run perSample = solve(PidController.Norm.PER_SAMPLE_MAX);
    Run rms = solve(PidController.Norm.WHOLE_STATE_RMS);
    String both = "per-sample " + perSample + ", batch RMS " + rms;
    // the per-sample norm steps as the fast oscillator needs: its global error stays near the tolerance
    assertTrue(perSample.fastError() < 20 * TOL, both);
    assertTrue(perSample.slowError() < 20 * TOL, both);
    // one RMS over 64 samples loosens the fast one's tolerance about sqrt(64) = 8 times: fewer steps, larger error
    assertTrue(rms.nfe() < 0.8 * perSample.nfe(), both);
    assertTrue(rms.fastError() > 2 * perSample.fastError(), both);
    assertTrue(rms.fastError() < 200 * TOL, both);
  }
}
