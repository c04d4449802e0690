package org.sbgm.inverse;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.sample.Ddim;
import org.sbgm.sample.GridSampler;
import org.sbgm.sample.TimeGrid;
import org.sbgm.torch.DType;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.StepObserver;

/**
 * Posterior sampling with a likelihood-guided score ({@link LikelihoodGuidance}): any fixed-step sampler
 * of the library run on ∇ log p(x_t | y) ≈ s + ∇ log p̂(y | x_t). {@link #mmps} (Tweedie covariance,
 * conjugate gradients) and {@link #piGdm} (isotropic covariance r_t² I) are the two members.
 */
public final class GuidedPosterior implements PosteriorSampler {
  private final GridSampler base;
  private final LikelihoodGuidance.Covariance covariance;
  private final int iterations;

  private GuidedPosterior(GridSampler base, LikelihoodGuidance.Covariance covariance, int iterations) {
    this.base = Objects.requireNonNull(base, "base");
    this.covariance = covariance;
    this.iterations = iterations;
    if (iterations < 1) {
      throw new InvalidInputException("the conjugate-gradient iterations must be at least 1, got " + iterations);
    }
  }

  /**
   * MMPS's default conjugate-gradient iterations per evaluation. With the exact score more iterations are
   * more accurate (5 reach the Monte-Carlo floor on the tests' Gaussian prior, 2 leave a mean error of
   * about 0.1 posterior standard deviations); with a trained network, whose Jacobian is neither symmetric
   * nor positive semi-definite, 3 or more made the GRF U-Net's inpainting diverge (docs/grf-inpainting.md),
   * 2 did best. The default is the setting that is safe with networks.
   */
  public static final int MMPS_ITERATIONS = 2;

  /** The default base sampler: {@code steps} ancestral DDIM steps (η = 1) on the log-SNR-uniform grid to ε = 1e-3, float32. */
  public static GridSampler defaultBase(int steps) {
    return new Ddim(steps, 1, 1e-3, TimeGrid.logSnrUniform(), DType.FLOAT32, null);
  }

  /** MMPS with {@value #MMPS_ITERATIONS} conjugate-gradient iterations on {@link #defaultBase}. */
  public static GuidedPosterior mmps(int steps) {
    return mmps(defaultBase(steps), MMPS_ITERATIONS);
  }

  /** ΠGDM with up to 20 conjugate-gradient iterations on {@link #defaultBase}. */
  public static GuidedPosterior piGdm(int steps) {
    return piGdm(defaultBase(steps), 20);
  }

  /**
   * MMPS (Rozet et al. 2024, arXiv 2405.13712): the Tweedie covariance through {@code iterations}
   * conjugate-gradient steps per evaluation, sampled by {@code base}.
   */
  public static GuidedPosterior mmps(GridSampler base, int iterations) {
    return new GuidedPosterior(base, LikelihoodGuidance.Covariance.TWEEDIE, iterations);
  }

  /**
   * ΠGDM (Song et al. 2023): V = r_t² I, the system (σ_y² I + r_t² A Aᵀ) u = r solved by up to
   * {@code iterations} conjugate-gradient steps (A only, no network), sampled by {@code base}.
   */
  public static GuidedPosterior piGdm(GridSampler base, int iterations) {
    return new GuidedPosterior(base, LikelihoodGuidance.Covariance.ISOTROPIC, iterations);
  }

  @Override
  public PosteriorSamples sample(DiffusionModel prior, Observation observation, long n, Condition condition,
      Generator generator) {
    LikelihoodGuidance guided = new LikelihoodGuidance(prior, observation, covariance, iterations);
    Samples s = base.sample(guided, n, observation.operator().inputShape(), condition, generator);
    return new PosteriorSamples(s.x(), s.nfe(), guided.vjps());
  }

  @Override
  public GuidedPosterior withObserver(StepObserver observer) {
    return new GuidedPosterior(base.withObserver(observer), covariance, iterations);
  }

  @Override
  public GuidedPosterior withDType(DType dtype) {
    return new GuidedPosterior(base.withDType(dtype), covariance, iterations);
  }

  /** The same method on another base sampler. */
  public GuidedPosterior withBase(GridSampler other) {
    return new GuidedPosterior(other, covariance, iterations);
  }

  @Override
  public String describe() {
    return (covariance == LikelihoodGuidance.Covariance.TWEEDIE ? "MMPS" : "PiGDM") + " (" + iterations
        + " CG iterations) on " + base.getClass().getSimpleName() + " (" + base.steps() + " steps, " + base.grid() + " grid)";
  }
}
