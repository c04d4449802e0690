package org.sbgm.sde;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.torch.Torch;

/**
 * The variance-preserving SDE of Song et al. (2021, arXiv:2011.13456, eq. 11):
 * dx = -½ β(t) x dt + √β(t) dw. With B(t) = ∫₀ᵗ β, the kernel is N(m x₀, σ² I) with
 * m = e^{-B/2} and σ² = 1 - e^{-B} (computed as -expm1(-B)); the prior is N(0, I).
 */
public final class VpSde implements Sde {
  private final BetaSchedule schedule;
  private final double horizon;

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
    if (schedule == null) {
      throw new IllegalArgumentException("the VP SDE needs a beta schedule, got null");
    }
    schedule.validate(horizon);
    this.schedule = schedule;
    this.horizon = horizon;
  }

  /** The noise rate β(t) and its integral. */
  public BetaSchedule schedule() {
    return schedule;
  }

  @Override
  public double horizon() {
    return horizon;
  }

  @Override
  public Tensor drift(Tensor x, double t) {
    return x.mul(Torch.scalar(-0.5 * schedule.beta(t)));
  }

  @Override
  public Tensor drift(Tensor x, Tensor t) {
    return x.mul(Schedules.perSample(schedule.beta(t).mul(Torch.scalar(-0.5)), x));
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(schedule.beta(t));
  }

  @Override
  public Tensor diffusion(Tensor t) {
    return schedule.beta(t).sqrt();
  }

  @Override
  public double meanCoefficient(double t) {
    return Math.exp(-0.5 * schedule.integral(t));
  }

  @Override
  public Tensor meanCoefficient(Tensor t) {
    return schedule.integral(t).mul(Torch.scalar(-0.5)).exp();
  }

  @Override
  public double marginalStd(double t) {
    return Math.sqrt(-Math.expm1(-schedule.integral(t)));
  }

  @Override
  public Tensor marginalStd(Tensor t) {
    return schedule.integral(t).neg().expm1().neg().sqrt();
  }

  @Override
  public double priorStd() {
    return 1;
  }

  @Override
  public Tensor samplePrior(long n, long[] shape, Generator generator, TensorOptions options) {
    return GaussianPrior.sample(1, n, shape, generator, options);
  }

  @Override
  public Tensor priorLogDensity(Tensor z) {
    return GaussianPrior.logDensity(1, z);
  }

  @Override
  public String toString() {
    return "VpSde(" + schedule + ", T=" + horizon + ")";
  }
}
