package org.sbgm.train;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Draws the diffusion times of a training batch on [ε, T].
 *
 * <p>Uniform: u_i ~ U[0, 1) independently. Stratified ("low-discrepancy", Kingma et al. 2021,
 * Variational Diffusion Models, arXiv 2107.00630, Appendix I.1): one u ~ U[0, 1) per batch and
 * u_i = (u + i/B) mod 1, so each of the B strata [k/B, (k+1)/B) holds exactly one u_i; each u_i is
 * still marginally uniform, so every estimator stays unbiased, with lower variance. Times are
 * t_i = ε + (T - ε) u_i (or, for importance-sampled weightings, an inverse CDF of u_i).
 */
public final class TimeSampler {
  /** The default smallest time ε. */
  public static final double DEFAULT_EPSILON = 1e-5;

  private final double epsilon;
  private final double horizon;
  private final boolean stratified;

  /**
   * @param epsilon the smallest time ε, in [0, T)
   * @param horizon the horizon T of the SDE
   * @param stratified one time per stratum when true, independent uniform times when false
   */
  public TimeSampler(double epsilon, double horizon, boolean stratified) {
    if (!(horizon > 0) || Double.isInfinite(horizon)) {
      throw new InvalidInputException("horizon T must be positive and finite, got " + horizon);
    }
    if (!(epsilon >= 0 && epsilon < horizon)) {
      throw new InvalidInputException("epsilon must lie in [0, T) = [0, " + horizon + "), got " + epsilon);
    }
    this.epsilon = epsilon;
    this.horizon = horizon;
    this.stratified = stratified;
  }

  public double epsilon() {
    return epsilon;
  }

  public double horizon() {
    return horizon;
  }

  public boolean stratified() {
    return stratified;
  }

  /** {@code n} values in [0, 1) (float64, CPU), uniform or stratified, drawn from {@code g}. */
  public Tensor unit(long n, Generator g) {
    if (n < 1) {
      throw new InvalidInputException("number of times must be at least 1, got " + n);
    }
    if (!stratified) {
      return uniform(n, g);
    }
    Tensor u = uniform(1, g);
    Tensor offsets = torch.arange(Torch.scalar(n), Torch.options(DType.FLOAT64)).div(Torch.scalar(n));
    return torch.remainder(offsets.add(u), Torch.scalar(1.0));
  }

  /**
   * U[0, 1) draws (float64, CPU). Private because {@code Torch.rand} passes a null names argument
   * that JavaCPP rejects; this uses the overload without names.
   */
  private static Tensor uniform(long n, Generator g) {
    return Torch.rand(new long[] {n}, g, Torch.options(DType.FLOAT64));
  }

  /** {@code n} times in [ε, T] (float64, CPU): t = ε + (T - ε) u with u from {@link #unit}. */
  public Tensor sample(long n, Generator g) {
    return toTime(unit(n, g));
  }

  /** Maps u ∈ [0, 1) to t = ε + (T - ε) u. */
  public Tensor toTime(Tensor u) {
    return u.mul(Torch.scalar(horizon - epsilon)).add(Torch.scalar(epsilon));
  }

  /** Maps u ∈ [0, 1) to t = ε + (T - ε) u. */
  public double toTime(double u) {
    return epsilon + (horizon - epsilon) * u;
  }
}
