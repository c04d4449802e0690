package org.sbgm.sde;

import java.util.function.DoubleUnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * The noise level σ_v(t) > 0 of the VE SDE with its derivative σ_v'(t) ≥ 0. The VE SDE has
 * g(t)² = dσ_v²/dt = 2 σ_v σ_v' and kernel variance σ(t)² = σ_v(t)² - σ_v(0)².
 *
 * <p>Tensor forms take {@code t} shaped {@code [B]} and return {@code [B]} in its dtype and device; the
 * defaults go through a float64 copy on the CPU (right for user schedules); {@link #geometric}
 * overrides them with tensor arithmetic.
 */
public interface SigmaSchedule {
  /** σ_v(t). */
  double sigma(double t);

  /** dσ_v/dt. */
  double derivative(double t);

  /** σ_v(t) per sample. */
  default Tensor sigma(Tensor t) {
    return Schedules.map(t, this::sigma);
  }

  /** dσ_v/dt per sample. */
  default Tensor derivative(Tensor t) {
    return Schedules.map(t, this::derivative);
  }

  /** The kernel variance σ_v(t)² - σ_v(0)²; implementations may override it to avoid cancellation. */
  default double varianceIncrement(double t) {
    double s = sigma(t);
    double s0 = sigma(0);
    return Math.max(0, (s - s0) * (s + s0));
  }

  /** σ_v(t)² - σ_v(0)² per sample. */
  default Tensor varianceIncrement(Tensor t) {
    return Schedules.map(t, this::varianceIncrement);
  }

  /** The geometric schedule of Song et al. (2021) on [0, 1]: σ_v(t) = σ_min (σ_max/σ_min)^t. */
  static SigmaSchedule geometric(double sigmaMin, double sigmaMax) {
    return geometric(sigmaMin, sigmaMax, 1);
  }

  /**
   * σ_v(t) = σ_min (σ_max/σ_min)^{t/T}, so σ_v' = σ_v ln(σ_max/σ_min) / T and
   * g = σ_v √(2 ln(σ_max/σ_min) / T).
   *
   * @throws org.sbgm.InvalidInputException if σ_min ≤ 0, σ_max ≤ σ_min or T ≤ 0
   */
  static SigmaSchedule geometric(double sigmaMin, double sigmaMax, double horizon) {
    return new GeometricSigmaSchedule(sigmaMin, sigmaMax, horizon);
  }

  /**
   * A user schedule from σ_v(t) and dσ_v/dt. The SDE that uses it checks, over its horizon, that σ_v
   * is finite and positive, σ_v' finite and non-negative, and σ_v' the derivative of σ_v.
   */
  static SigmaSchedule of(DoubleUnaryOperator sigma, DoubleUnaryOperator derivative) {
    if (sigma == null || derivative == null) {
      throw new IllegalArgumentException("a sigma schedule needs both sigma(t) and its derivative, got null");
    }
    return new SigmaSchedule() {
      @Override
      public double sigma(double t) {
        return sigma.applyAsDouble(t);
      }

      @Override
      public double derivative(double t) {
        return derivative.applyAsDouble(t);
      }

      @Override
      public String toString() {
        return "SigmaSchedule.of(user functions)";
      }
    };
  }

  /**
   * Throws unless this schedule is usable on [0, T]: σ_v finite and > 0, σ_v' finite and ≥ 0 on a
   * grid, σ_v(T) > σ_v(0), and σ_v(t) - σ_v(0) equal to a quadrature of σ_v' to 1e-4 relative accuracy.
   */
  default void validate(double horizon) {
    Schedules.positive("horizon T", horizon);
    for (int i = 0; i <= 100; i++) {
      double t = horizon * i / 100;
      Schedules.positive("sigma(" + t + ")", sigma(t));
      Schedules.nonNegative("d sigma/dt at t = " + t, derivative(t));
    }
    if (!(sigma(horizon) > sigma(0))) {
      throw new org.sbgm.InvalidInputException("sigma(T) = " + sigma(horizon)
          + " must be greater than sigma(0) = " + sigma(0) + " for the VE SDE to add noise");
    }
    Schedules.checkAntiderivative("sigma(t)", this::derivative, this::sigma, sigma(0), horizon);
  }
}
