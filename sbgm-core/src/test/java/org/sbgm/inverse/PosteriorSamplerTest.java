package org.sbgm.inverse;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.InvalidInputException;
import org.sbgm.measure.PosteriorComparison;
import org.sbgm.measure.StudyMixtures;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Each posterior sampler reaches its documented accuracy against the exact posterior of a Gaussian
 * prior (16-D as 1 × 4 × 4 images, covariance eigenvalues 0.01 … 1) under VP, σ_y = 0.1, with the exact
 * score: the error of the posterior mean in posterior standard deviations and the relative error of the
 * covariance, 1000 samples (Monte-Carlo floors about 0.02 and 0.08). MMPS is exact for a Gaussian prior,
 * so with 5 conjugate-gradient iterations it must come close to the floors; the others carry their approximations' bias. The same sampler
 * given a wrong operator (the mask moved by one pixel, the blur twice as wide or read as a mask, a different
 * matrix) is
 * far off, so the check can fail.
 */
class PosteriorSamplerTest {
  private static final long[] IMAGE = {1, 4, 4};
  private static final GaussianMixture PRIOR = StudyMixtures.anisotropic(16, 1, 1, 0.01);
  private static int threads;

  @BeforeAll
  static void oneThread() {
    threads = Torch.threads();
    Torch.setThreads(1);
  }

  @AfterAll
  static void restore() {
    Torch.setThreads(threads);
  }

  static Mask mask(int shift) {
    double[] m = new double[16];
    for (int i = 0; i < 16; i++) {
      m[(i + shift) % 16] = i % 3 == 0 ? 1 : 0;
    }
    return new Mask(Torch.tensor(m, DType.FLOAT64, IMAGE));
  }

  static DenseMatrix matrix(long seed) {
    return new DenseMatrix(Torch.randn(new long[] {6, 16}, Torch.generator(seed), Torch.options(DType.FLOAT64)).div(Torch.scalar(4)),
        IMAGE);
  }

  static Stream<Arguments> cases() {
    PosteriorSampler mmps = GuidedPosterior.mmps(GuidedPosterior.defaultBase(100), 5).withDType(DType.FLOAT64);
    return Stream.of(
        Arguments.of("MMPS mask", mmps, mask(0), mask(1), 0.06, 0.2),
        Arguments.of("MMPS blur", mmps, new GaussianBlur(IMAGE, 1), new GaussianBlur(IMAGE, 2), 0.06, 0.2),
        Arguments.of("MMPS matrix", mmps, matrix(9), matrix(10), 0.06, 0.2),
        Arguments.of("PiGDM blur", GuidedPosterior.piGdm(100).withDType(DType.FLOAT64), new GaussianBlur(IMAGE, 1), mask(0), 0.3, 0.3),
        Arguments.of("DPS blur", new Dps(200).withDType(DType.FLOAT64), new GaussianBlur(IMAGE, 1), mask(0), 0.3, 0.3),
        Arguments.of("RePaint (5 passes) mask", new Replacement(100).withPasses(5).withDType(DType.FLOAT64), mask(0), mask(1),
            0.15, 0.3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reachesItsDocumentedAccuracyAndFailsWithAWrongOperator(String name, PosteriorSampler method, ForwardOperator right,
      ForwardOperator wrong, double meanBound, double covarianceBound) {
    GaussianMixtureScore oracle = new GaussianMixtureScore(PRIOR, new VpSde());
    try (PointerScope scope = new PointerScope()) {
      Tensor x = PRIOR.sample(1, Torch.generator(3), Torch.options(DType.FLOAT64)).reshape(IMAGE);
      Observation observation = Observation.of(right, x, 0.1, Torch.generator(4));
      GaussianMixturePosterior exact = GaussianMixturePosterior.of(PRIOR, observation);
      PosteriorSamples s = method.sample(oracle, observation, 1000, null, Torch.generator(5));
      PosteriorComparison c = PosteriorComparison.of(exact, s.x(), Torch.generator(6));
      System.out.printf("%s: %s, nfe %d, vjps %d%n", name, c, s.nfe(), s.vjps());
      assertTrue(c.meanError() < meanBound, name + ": mean error " + c.meanError());
      assertTrue(c.covarianceError() < covarianceBound, name + ": covariance error " + c.covarianceError());
      Observation misread = new Observation(wrong, observation.y(), 0.1);
      PosteriorComparison off = PosteriorComparison.of(exact, method.sample(oracle, misread, 1000, null, Torch.generator(5)).x(),
          Torch.generator(6));
      System.out.printf("%s with a wrong operator: %s%n", name, off);
      assertTrue(off.meanError() > 3 * meanBound, name + " with a wrong operator: mean error " + off.meanError());
    }
  }

  @Test
  void replacementNeedsAMask() {
    GaussianMixtureScore oracle = new GaussianMixtureScore(PRIOR, new VpSde());
    Observation blurred = new Observation(new GaussianBlur(IMAGE, 1), Torch.full(IMAGE, 0, Torch.options(DType.FLOAT64)), 0.1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new Replacement(10).sample(oracle, blurred, 4, null, Torch.generator(1)));
    assertTrue(e.getMessage().startsWith("replacement (RePaint) inpainting needs a mask operator"), e.getMessage());
  }

  /**
   * For a Gaussian prior the MMPS score is exact: x_t | y is Gaussian, N(m μ', m² Σ' + σ² I) with the exact
   * posterior (μ', Σ'), so the guided score must equal the score of the diffused exact posterior; ΠGDM's
   * isotropic covariance must not.
   */
  @Test
  void theMmpsScoreOfAGaussianPriorIsTheExactPosteriorScore() {
    VpSde sde = new VpSde();
    GaussianMixtureScore oracle = new GaussianMixtureScore(PRIOR, sde);
    try (PointerScope scope = new PointerScope()) {
      Tensor x = PRIOR.sample(1, Torch.generator(3), Torch.options(DType.FLOAT64)).reshape(IMAGE);
      for (ForwardOperator a : new ForwardOperator[] {mask(0), new GaussianBlur(IMAGE, 1), matrix(9)}) {
        Observation observation = Observation.of(a, x, 0.1, Torch.generator(4));
        GaussianMixtureScore posterior = new GaussianMixtureScore(GaussianMixturePosterior.of(PRIOR, observation).mixture(), sde);
        for (double t : new double[] {0.05, 0.3, 0.8}) {
          Tensor xt = Torch.randn(new long[] {5, 1, 4, 4}, Torch.generator(8), Torch.options(DType.FLOAT64));
          Tensor times = Torch.sharedTime(5, t, xt);
          Tensor exact = posterior.score(xt, times, null);
          Tensor mmps = new LikelihoodGuidance(oracle, observation, LikelihoodGuidance.Covariance.TWEEDIE, 32).score(xt, times, null);
          Tensor pigdm = new LikelihoodGuidance(oracle, observation, LikelihoodGuidance.Covariance.ISOTROPIC, 32).score(xt, times, null);
          double scale = exact.abs().max().item_double();
          double mmpsError = mmps.sub(exact).abs().max().item_double() / scale;
          double pigdmError = pigdm.sub(exact).abs().max().item_double() / scale;
          assertTrue(mmpsError < 1e-6, a.describe() + " t=" + t + ": MMPS score off by " + mmpsError);
          assertTrue(pigdmError > 1e-3, a.describe() + " t=" + t + ": PiGDM unexpectedly exact (" + pigdmError + ")");
        }
      }
    }
  }
}
