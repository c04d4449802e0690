package org.sbgm.sde;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.torch.Torch;

/**
 * What the VP and sub-VP SDEs share: a noise rate β(t) with B(t) = ∫₀ᵗ β, the drift
 * f = -½ β(t) x, the mean coefficient m = e^{-B/2} and the prior N(0, I). They differ only in g and σ.
 */
abstract class BetaSde implements Sde {
  private final BetaSchedule schedule;
  private final double horizon;

  BetaSde(String name, BetaSchedule schedule, double horizon) {
    if (schedule == null) {
      throw new IllegalArgumentException("the " + name + " SDE needs a beta schedule, got null");
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
  public double meanCoefficient(double t) {
    return Math.exp(-0.5 * schedule.integral(t));
  }

  @Override
  public Tensor meanCoefficient(Tensor t) {
    return schedule.integral(t).mul(Torch.scalar(-0.5)).exp();
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
    return getClass().getSimpleName() + "(" + schedule + ", T=" + horizon + ")";
  }
}
