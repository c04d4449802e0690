package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.data.Toy;
import org.sbgm.inverse.GaussianMixturePosterior;
import org.sbgm.inverse.Mask;
import org.sbgm.inverse.Observation;
import org.sbgm.measure.PosteriorComparison;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The oracle checks behind sbgm sample and sbgm posterior: exact draws pass them, wrong ones do not. */
class ExactChecksTest {
  static final GaussianMixture MIXTURE = Toy.eightGaussiansMixture();
  static final Model ORACLE = Model.oracle(MIXTURE, new VpSde());

  @Test
  void exactDrawsScoreLikeExactDrawsAndShiftedOnesLower() {
    try (PointerScope scope = new PointerScope()) {
      Tensor exact = MIXTURE.sample(4000, Torch.generator(1), Torch.options(DType.FLOAT64)).to(DType.FLOAT32.scalarType());
      SampleCheck c = ORACLE.exactSampleCheck(exact, 2).orElseThrow();
      // per-sample log-density spread is about 1 nat here: 4000 draws put the means within a few 0.02
      assertEquals(c.meanLogDensityOfExactDraws(), c.meanLogDensityOfSamples(), 0.1, c.toString());
      SampleCheck shifted = ORACLE.exactSampleCheck(exact.add(Torch.scalar(0.5)), 2).orElseThrow();
      assertTrue(shifted.meanLogDensityOfSamples() < c.meanLogDensityOfExactDraws() - 0.5, shifted.toString());
      assertEquals(c.meanLogDensityOfExactDraws(), shifted.meanLogDensityOfExactDraws(), 0.0, "the same seed, the same draws");
    }
  }

  @Test
  void exactPosteriorDrawsMeetTheFloorAndNoiselessObservationsAreNotCompared() {
    try (PointerScope scope = new PointerScope()) {
      Mask mask = new Mask(Torch.tensor(new double[] {1, 0}, DType.FLOAT64, 2));
      Observation obs = new Observation(mask, Torch.tensor(new double[] {1.5, 0}, DType.FLOAT64, 2), 0.1);
      GaussianMixturePosterior exact = GaussianMixturePosterior.of(MIXTURE, obs);
      Tensor draws = exact.sample(2000, Torch.generator(3), Torch.options(DType.FLOAT64));
      PosteriorComparison right = ORACLE.exactPosteriorComparison(obs, draws, 4).orElseThrow();
      assertTrue(right.meanError() < 4 * right.meanFloor() + 0.02, right.toString());
      PosteriorComparison prior = ORACLE.exactPosteriorComparison(obs,
          MIXTURE.sample(2000, Torch.generator(3), Torch.options(DType.FLOAT64)), 4).orElseThrow();
      assertTrue(prior.meanError() > 10 * right.meanError() && prior.meanError() > 0.3, prior + " vs " + right);
      Observation noiseless = new Observation(mask, Torch.tensor(new double[] {1.5, 0}, DType.FLOAT64, 2), 0);
      assertTrue(ORACLE.exactPosteriorComparison(noiseless, draws, 4).isEmpty());
    }
  }
}
