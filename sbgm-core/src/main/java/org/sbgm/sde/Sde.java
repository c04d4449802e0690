package org.sbgm.sde;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;

/**
 * A forward SDE dx = f(x, t) dt + g(t) dw on [0, T] whose transition kernel from data is Gaussian:
 * p(x_t | x_0) = N(m(t) x_0, σ(t)² I). Such a kernel forces the drift to be linear in x,
 * f(x, t) = (d ln m/dt) x, and implementations must keep it so: the forward-mode log-likelihood
 * takes ∂f/∂x · v = f(v, t).
 *
 * <p>Every quantity has a scalar form (one time for the whole batch, as ODE and SDE solvers use)
 * and a tensor form (a time per sample, {@code t} shaped {@code [B]}, as training uses). Tensor
 * results are shaped {@code [B]} except the drift, which is shaped like {@code x}.
 */
public interface Sde {
  /** The horizon T. */
  double horizon();

  /** Drift f(x, t) for one time shared by the batch; shaped like {@code x}. */
  Tensor drift(Tensor x, double t);

  /** Drift f(x, t) with a time per sample ({@code t} is {@code [B]}); shaped like {@code x}. */
  Tensor drift(Tensor x, Tensor t);

  /** Diffusion coefficient g(t). */
  double diffusion(double t);

  /** Diffusion coefficient g(t) per sample, {@code [B]}. */
  Tensor diffusion(Tensor t);

  /** Mean coefficient m(t) of the transition kernel. */
  double meanCoefficient(double t);

  /** Mean coefficient m(t) per sample, {@code [B]}. */
  Tensor meanCoefficient(Tensor t);

  /** Standard deviation σ(t) of the transition kernel. */
  double marginalStd(double t);

  /** Standard deviation σ(t) per sample, {@code [B]}. */
  Tensor marginalStd(Tensor t);

  /** Standard deviation of the isotropic Gaussian prior p_T (1 for VP and sub-VP, σ_max for VE). */
  double priorStd();

  /** {@code n} draws from the prior, each shaped {@code shape} (without the batch dimension). */
  Tensor samplePrior(long n, long[] shape, Generator generator, TensorOptions options);

  /** log p_T(z) per sample, {@code [B]}, summed over every dimension but the first. */
  Tensor priorLogDensity(Tensor z);
}
