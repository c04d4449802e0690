package org.sbgm.score;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * The exact score oracle for Gaussian-mixture data under a diffusion SDE. If the data are
 * p_0 = Σ_k w_k N(μ_k, Σ_k) and the kernel is N(m(t) x_0, σ(t)² I), then exactly
 * p_t = Σ_k w_k N(m μ_k, m² Σ_k + σ² I), and this class evaluates ∇ₓ log p_t, log p_t and draws from
 * p_0 (see {@link GaussianMixture} for the stable evaluation: one eigendecomposition per component,
 * log-sum-exp over components, softmax responsibilities). m(t) and σ(t) are taken from the SDE in
 * float64; all arithmetic is float64 and results come back in the dtype of x. The condition is
 * ignored (the oracle is unconditional). As a {@link DiffusionModel} it is the exact model that every
 * sampler and the likelihood are tested against.
 */
public final class GaussianMixtureScore implements DiffusionModel {
  private final GaussianMixture mixture;
  private final Sde sde;

  /** The oracle for {@code mixture} under {@code sde}. */
  public GaussianMixtureScore(GaussianMixture mixture, Sde sde) {
    if (mixture == null || sde == null) {
      throw new IllegalArgumentException("the Gaussian-mixture oracle needs a mixture and an SDE, got "
          + (mixture == null ? "a null mixture" : "a null SDE"));
    }
    this.mixture = mixture;
    this.sde = sde;
  }

  /**
   * The oracle for Σ_k w_k N(μ_k, Σ_k) under {@code sde}.
   *
   * @param weights K positive weights summing to 1 (within 1e-9)
   * @param means K×D means
   * @param covariances K symmetric positive-definite D×D covariances
   */
  public GaussianMixtureScore(double[] weights, double[][] means, double[][][] covariances, Sde sde) {
    this(new GaussianMixture(weights, means, covariances), sde);
  }

  /** The data mixture p_0. */
  public GaussianMixture mixture() {
    return mixture;
  }

  /** The SDE that diffuses it. */
  @Override
  public Sde sde() {
    return sde;
  }

  /** ∇ₓ log p_t(x) for x {@code [B, ...]} (flattening to D) and t {@code [B]} (or a single time). */
  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Tensor x64 = mixture.flat(x);
    Tensor t64 = times(t, x64);
    Tensor g = mixture.evaluate(x64, sde.meanCoefficient(t64), sde.marginalStd(t64), true)[1];
    return g.reshape(Torch.shape(x)).to(x.scalar_type());
  }

  /** ∇ₓ log p_t(x) at one time t for the whole batch. */
  public Tensor score(Tensor x, double t) {
    Tensor x64 = mixture.flat(x);
    Tensor[] ms = coefficients(t, x64);
    return mixture.evaluate(x64, ms[0], ms[1], true)[1].reshape(Torch.shape(x)).to(x.scalar_type());
  }

  /** log p_t(x) per sample, {@code [B]} in the dtype of x, with a time per sample. */
  public Tensor logDensity(Tensor x, Tensor t) {
    Tensor x64 = mixture.flat(x);
    Tensor t64 = times(t, x64);
    return mixture.evaluate(x64, sde.meanCoefficient(t64), sde.marginalStd(t64), false)[0].to(x.scalar_type());
  }

  /** log p_t(x) per sample, {@code [B]} in the dtype of x, at one time t. */
  public Tensor logDensity(Tensor x, double t) {
    Tensor x64 = mixture.flat(x);
    Tensor[] ms = coefficients(t, x64);
    return mixture.evaluate(x64, ms[0], ms[1], false)[0].to(x.scalar_type());
  }

  /** {@code n} exact draws {@code [n, D]} from the data mixture p_0 (see {@link GaussianMixture#sample}). */
  public Tensor sample(long n, Generator generator, TensorOptions options) {
    return mixture.sample(n, generator, options);
  }

  private Tensor[] coefficients(double t, Tensor x64) {
    checkTime(t);
    long[] b = {x64.size(0)};
    return new Tensor[] {Torch.full(b, sde.meanCoefficient(t), x64), Torch.full(b, sde.marginalStd(t), x64)};
  }

  private Tensor times(Tensor t, Tensor x64) {
    return GaussianMixture.perSample(t, x64, "t");
  }

  private void checkTime(double t) {
    if (!Double.isFinite(t)) {
      throw new org.sbgm.InvalidInputException("The time t must be finite, got " + t + ".");
    }
  }

  @Override
  public String toString() {
    return "GaussianMixtureScore(" + mixture + ", " + sde + ")";
  }
}
