package org.sbgm.likelihood;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.data.Toy;
import org.sbgm.measure.PointwiseError;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.PidController;
import org.sbgm.torch.Torch;

/**
 * log p_ε of 4096 eight-Gaussians points under the mixture's exact score (closed-form log p_ε as the oracle),
 * Dopri5 at rtol = atol = 1e-5, exact divergence, with each error norm. With one RMS over the batch the solve
 * is score_sde's (scipy's solve_ivp RK45 over the flattened batch): {@code bench/oracle_rk45.py} gives 86
 * evaluations, RMS error 1.0e-4 and max 3.2e-3 nats on its own 4096 points. The per-sample norm takes more
 * evaluations and is an order of magnitude more accurate.
 */
@SuppressWarnings("try")
class ErrorNormLikelihoodTest {
  @BeforeAll
  static void boot() {
    Torch.init();
  }

  private record Run(int nfe, PointwiseError error) {}

  private static Run run(PidController.Norm norm) {
    try (PointerScope scope = new PointerScope()) {
      Sde sde = Sdes.vp();
      GaussianMixtureScore oracle = new GaussianMixtureScore(Toy.eightGaussiansMixture(), sde);
      Tensor x = Toy.eightGaussians(4096, Torch.generator(1));
      LogLikelihood ll = LogLikelihood.builder().divergence(Divergence.exact()).tolerances(1e-5, 1e-5).epsilon(1e-5)
          .errorNorm(norm).terminalLogDensity(z -> oracle.logDensity(z, sde.horizon())).build();
      LikelihoodResult r = ll.evaluate(oracle, x, null, null);
      return new Run(r.nfe(), PointwiseError.of(r.nats(), Torch.toDoubles(oracle.logDensity(x, 1e-5))));
    }
  }

  @Test
  void batchRmsIsScoreSdesSolveAndPerSampleIsTighter() {
    Run rms = run(PidController.Norm.WHOLE_STATE_RMS);
    Run perSample = run(PidController.Norm.PER_SAMPLE_MAX);
    String both = "batch RMS " + rms + ", per-sample " + perSample;
    assertTrue(rms.nfe() >= 78 && rms.nfe() <= 94, both);
    assertTrue(rms.error().rms() > 5e-5 && rms.error().rms() < 2e-4, both);
    assertTrue(rms.error().maxAbs() > 1.5e-3 && rms.error().maxAbs() < 6e-3, both);
    assertTrue(perSample.nfe() > 1.2 * rms.nfe(), both);
    assertTrue(perSample.error().rms() < 2e-5 && perSample.error().maxAbs() < 1e-3, both);
  }
}
