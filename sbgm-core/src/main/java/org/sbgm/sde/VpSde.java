package org.sbgm.sde;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The variance-preserving SDE of Song et al. (2021, arXiv:2011.13456, eq. 11):
 * dx = -½ β(t) x dt + √β(t) dw. With B(t) = ∫₀ᵗ β, the kernel is N(m x₀, σ² I) with
 * m = e^{-B/2} and σ² = 1 - e^{-B} (computed as -expm1(-B)); the prior is N(0, I).
 */
public final class VpSde extends BetaSde {
  /** β linear from 0.1 to 20 on [0, 1]. */
  public VpSde() {
    this(0.1, 20, 1);
  }

  /** β linear from {@code betaMin} to {@code betaMax} on [0, 1]. */
  public VpSde(double betaMin, double betaMax) {
    this(betaMin, betaMax, 1);
  }

  /** β linear from {@code betaMin} to {@code betaMax} on [0, T]. */
  public VpSde(double betaMin, double betaMax, double horizon) {
    this(BetaSchedule.linear(betaMin, betaMax, horizon), horizon);
  }

  /** Any schedule on [0, T]; it is checked on that interval (see {@link BetaSchedule#validate}). */
  public VpSde(BetaSchedule schedule, double horizon) {
    super("VP", schedule, horizon);
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(schedule().beta(t));
  }

  @Override
  public Tensor diffusion(Tensor t) {
    return schedule().beta(t).sqrt();
  }

  @Override
  public double marginalStd(double t) {
    return Math.sqrt(-Math.expm1(-schedule().integral(t)));
  }

  @Override
  public Tensor marginalStd(Tensor t) {
    return schedule().integral(t).neg().expm1().neg().sqrt();
  }
}
