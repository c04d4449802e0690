package org.sbgm.inverse;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ForwardingDiffusionModel;
import org.sbgm.score.ScoreTangents;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * The posterior score of a linear Gaussian observation under a Gaussian approximation of p(x₀ | x_t):
 * ∇ log p(x_t | y) = s(x_t) + ∇ log p̂(y | x_t) with
 * <pre>
 *   p̂(y | x_t) = N(y; A x̂₀, σ_y² I + A V Aᵀ),   ∇ log p̂(y | x_t) ≈ (∂x̂₀/∂x_t)ᵀ Aᵀ u,
 *   u = (σ_y² I + A V Aᵀ)⁻¹ (y − A x̂₀),
 * </pre>
 * x̂₀ = (x_t + σ² s)/m (Tweedie), the covariance V held fixed in the gradient. Two choices of V:
 * <ul>
 *   <li>{@link Covariance#TWEEDIE}, MMPS (Rozet, Andry, Lanusse and Louppe 2024, "Learning Diffusion
 *       Priors from Observations by Expectation Maximization", arXiv 2405.13712): the exact
 *       Cov[x₀ | x_t] = (σ²/m) ∂x̂₀/∂x_t (Tweedie's second-order formula), applied through
 *       vector-Jacobian products inside conjugate gradients; exact when the prior is Gaussian;
 *   <li>{@link Covariance#ISOTROPIC}, ΠGDM (Song, Vahdat, Mardani and Kautz 2023, "Pseudoinverse-Guided
 *       Diffusion Models for Inverse Problems", ICLR): V = r_t² I with r_t² = σ̃²/(1 + σ̃²), σ̃ = σ/m, the
 *       posterior variance of a unit-variance Gaussian prior.
 * </ul>
 * A learned denoiser's Jacobian need not be symmetric or positive semi-definite, and σ_y² I + A V Aᵀ then
 * need not be positive definite: the conjugate gradients stop, per sample, at a direction whose
 * curvature falls below σ_y² (a positive semi-definite V never does). That guard does not make many
 * iterations safe with a network: on the GRF U-Net 3 and more iterations diverged and 2 did best, hence
 * the default of {@link GuidedPosterior#MMPS_ITERATIONS}.
 * Every evaluation runs the network once with autograd (whatever the caller's grad mode) and spends
 * one VJP for the gradient plus, for MMPS, one per conjugate-gradient iteration; it returns a detached
 * score. Used as a {@link DiffusionModel} by any sampler, it samples the approximate posterior. It has
 * no forward-mode tangents ({@link #supportsTangents()} is false).
 */
public final class LikelihoodGuidance extends ForwardingDiffusionModel {
  /** The approximation of Cov[x₀ | x_t]. */
  public enum Covariance {
    /** MMPS: (σ²/m) ∂x̂₀/∂x_t through VJPs. */
    TWEEDIE,
    /** ΠGDM: r_t² I. */
    ISOTROPIC
  }

  private final Observation observation;
  private final Covariance covariance;
  private final int iterations;
  private final AtomicLong vjps = new AtomicLong();

  /**
   * The guided model of {@code prior} given {@code observation}.
   *
   * @param iterations the most conjugate-gradient iterations per evaluation (at least 1)
   * @throws InvalidInputException when iterations &lt; 1
   */
  public LikelihoodGuidance(DiffusionModel prior, Observation observation, Covariance covariance, int iterations) {
    super(prior);
    this.observation = Objects.requireNonNull(observation, "observation");
    this.covariance = Objects.requireNonNull(covariance, "covariance");
    if (iterations < 1) {
      throw new InvalidInputException("the conjugate-gradient iterations must be at least 1, got " + iterations);
    }
    this.iterations = iterations;
  }

  /** The VJPs spent so far. */
  public long vjps() {
    return vjps.get();
  }

  @Override
  public boolean supportsTangents() {
    return false;
  }

  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    throw new UnsupportedOperationException("the likelihood-guided score has no forward-mode tangents");
  }

  @Override
  @SuppressWarnings("try")
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Sde sde = sde();
    ForwardOperator a = observation.operator();
    try (AutoGradMode on = new AutoGradMode(true)) {
      Tensor xg = x.detach().requires_grad_(true);
      Tensor s = delegate().score(xg, t, condition);
      Tensor m = Torch.perSample(sde.meanCoefficient(t).to(x.device(), x.scalar_type()), x.dim());
      Tensor sigma = Torch.perSample(sde.marginalStd(t).to(x.device(), x.scalar_type()), x.dim());
      Tensor variance = sigma.square();
      Tensor x0 = xg.add(s.mul(variance)).div(m);
      Tensor residual = observation.batched(x).sub(a.apply(x0)).detach();
      double noise = observation.noiseStd() * observation.noiseStd();
      Tensor u;
      if (covariance == Covariance.TWEEDIE) {
        Tensor scale = variance.div(m);
        u = ConjugateGradient.solve(w -> w.mul(Torch.scalar(noise)).add(a.apply(vjp(x0, xg, a.adjoint(w), true).mul(scale))),
            residual, iterations, 1e-6, (1 - 1e-6) * noise);
      } else {
        Tensor tilde2 = variance.div(m.square());
        Tensor r2 = tilde2.div(tilde2.add(Torch.scalar(1)));
        u = ConjugateGradient.solve(w -> w.mul(Torch.scalar(noise)).add(a.apply(a.adjoint(w).mul(r2))), residual, iterations,
            1e-6, 0);
      }
      Tensor guidance = vjp(x0, xg, a.adjoint(u.detach()), false);
      return s.detach().add(guidance).detach();
    }
  }

  /** (∂x̂₀/∂x)ᵀ w per sample. */
  private Tensor vjp(Tensor x0, Tensor x, Tensor w, boolean retain) {
    vjps.incrementAndGet();
    TensorVector g = torch.grad(new TensorVector(x0), new TensorVector(x), new TensorVector(w.detach()),
        new BoolOptional(retain), false, false);
    return g.get(0);
  }

  @Override
  public String toString() {
    return "LikelihoodGuidance(" + covariance + ", " + delegate() + ")";
  }
}
