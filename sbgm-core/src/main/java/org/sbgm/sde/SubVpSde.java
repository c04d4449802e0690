package org.sbgm.sde;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The sub-VP SDE of Song et al. (2021, arXiv:2011.13456, eq. 29):
 * dx = -½ β(t) x dt + √(β(t)(1 - e^{-2B(t)})) dw with B(t) = ∫₀ᵗ β. The kernel is N(m x₀, σ² I)
 * with m = e^{-B/2} and <b>σ = 1 - e^{-B}</b> (so σ² = (1 - e^{-B})², never larger than the VP
 * variance); the prior is N(0, I).
 */
public final class SubVpSde extends BetaSde {
  /** β linear from 0.1 to 20 on [0, 1]. */
  public SubVpSde() {
    this(0.1, 20, 1);
  }

  /** β linear from {@code betaMin} to {@code betaMax} on [0, 1]. */
  public SubVpSde(double betaMin, double betaMax) {
    this(betaMin, betaMax, 1);
  }

  /** β linear from {@code betaMin} to {@code betaMax} on [0, T]. */
  public SubVpSde(double betaMin, double betaMax, double horizon) {
    this(BetaSchedule.linear(betaMin, betaMax, horizon), horizon);
  }

  /** Any schedule on [0, T]; it is checked on that interval (see {@link BetaSchedule#validate}). */
  public SubVpSde(BetaSchedule schedule, double horizon) {
    super("sub-VP", schedule, horizon);
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(-schedule().beta(t) * Math.expm1(-2 * schedule().integral(t)));
  }

  @Override
  public Tensor diffusion(Tensor t) {
    return schedule().integral(t).mul(Torch.scalar(-2)).expm1().neg().mul(schedule().beta(t)).sqrt();
  }

  @Override
  public double marginalStd(double t) {
    return -Math.expm1(-schedule().integral(t));
  }

  @Override
  public Tensor marginalStd(Tensor t) {
    return schedule().integral(t).neg().expm1().neg();
  }
}
