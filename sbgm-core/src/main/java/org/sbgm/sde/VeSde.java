package org.sbgm.sde;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.torch.Torch;

/**
 * The variance-exploding SDE of Song et al. (2021, arXiv:2011.13456, eq. 9): dx = √(dσ_v²/dt) dw,
 * so f = 0 and g² = 2 σ_v σ_v' (for the geometric schedule g = σ_v √(2 ln(σ_max/σ_min)/T)). The
 * kernel is N(x₀, σ² I) with m = 1 and σ² = σ_v(t)² - σ_v(0)² (σ(0) = 0); the prior is
 * N(0, σ_v(T)² I), that is N(0, σ_max² I) for the geometric schedule.
 */
public final class VeSde implements Sde {
  private final SigmaSchedule schedule;
  private final double horizon;
  private final double priorStd;

  /** The geometric schedule from 0.01 to 50 on [0, 1]. */
  public VeSde() {
    this(0.01, 50);
  }

  /** The geometric schedule from {@code sigmaMin} to {@code sigmaMax} on [0, 1]. */
  public VeSde(double sigmaMin, double sigmaMax) {
    this(sigmaMin, sigmaMax, 1);
  }

  /** The geometric schedule from {@code sigmaMin} to {@code sigmaMax} on [0, T]. */
  public VeSde(double sigmaMin, double sigmaMax, double horizon) {
    this(SigmaSchedule.geometric(sigmaMin, sigmaMax, horizon), horizon);
  }

  /** Any schedule on [0, T]; it is checked on that interval (see {@link SigmaSchedule#validate}). */
  public VeSde(SigmaSchedule schedule, double horizon) {
    if (schedule == null) {
      throw new IllegalArgumentException("the VE SDE needs a sigma schedule, got null");
    }
    schedule.validate(horizon);
    this.schedule = schedule;
    this.horizon = horizon;
    this.priorStd = schedule.sigma(horizon);
  }

  /** The noise level σ_v(t) and its derivative. */
  public SigmaSchedule schedule() {
    return schedule;
  }

  @Override
  public double horizon() {
    return horizon;
  }

  /** Zero, computed as {@code 0 · x} so that autograd through the drift sees x. */
  @Override
  public Tensor drift(Tensor x, double t) {
    return x.mul(Torch.scalar(0));
  }

  @Override
  public Tensor drift(Tensor x, Tensor t) {
    return x.mul(Torch.scalar(0));
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(2 * schedule.sigma(t) * schedule.derivative(t));
  }

  @Override
  public Tensor diffusion(Tensor t) {
    return schedule.sigma(t).mul(schedule.derivative(t)).mul(Torch.scalar(2)).sqrt();
  }

  @Override
  public double meanCoefficient(double t) {
    return 1;
  }

  @Override
  public Tensor meanCoefficient(Tensor t) {
    return Torch.full(Torch.shape(t), 1, t);
  }

  @Override
  public double marginalStd(double t) {
    return Math.sqrt(schedule.varianceIncrement(t));
  }

  @Override
  public Tensor marginalStd(Tensor t) {
    return schedule.varianceIncrement(t).sqrt();
  }

  @Override
  public double priorStd() {
    return priorStd;
  }

  @Override
  public Tensor samplePrior(long n, long[] shape, Generator generator, TensorOptions options) {
    return GaussianPrior.sample(priorStd, n, shape, generator, options);
  }

  @Override
  public Tensor priorLogDensity(Tensor z) {
    return GaussianPrior.logDensity(priorStd, z);
  }

  @Override
  public String toString() {
    return "VeSde(" + schedule + ", T=" + horizon + ")";
  }
}
