package org.sbgm.sde;

import java.util.function.DoubleUnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * A noise rate β(t) ≥ 0 for the VP and sub-VP SDEs with its integral B(t) = ∫₀ᵗ β(s) ds.
 *
 * <p>Scalar forms serve solvers (one time for the batch); tensor forms take {@code t} shaped {@code [B]}
 * and return {@code [B]} in the dtype and device of {@code t}. The tensor defaults evaluate the scalar
 * forms through a float64 copy on the CPU, which is right for user schedules; {@link #linear} overrides
 * them with tensor arithmetic.
 */
public interface BetaSchedule {
  /** β(t). */
  double beta(double t);

  /** B(t) = ∫₀ᵗ β(s) ds. */
  double integral(double t);

  /** β(t) per sample. */
  default Tensor beta(Tensor t) {
    return Schedules.map(t, this::beta);
  }

  /** B(t) per sample. */
  default Tensor integral(Tensor t) {
    return Schedules.map(t, this::integral);
  }

  /** The default schedule of Song et al. (2021): β linear from 0.1 to 20 over [0, 1]. */
  static BetaSchedule linear() {
    return linear(0.1, 20, 1);
  }

  /**
   * β(t) = β_min + (β_max - β_min) t / T, so B(t) = β_min t + (β_max - β_min) t² / (2T).
   *
   * @throws org.sbgm.InvalidInputException if β_min < 0, β_max ≤ β_min or T ≤ 0
   */
  static BetaSchedule linear(double betaMin, double betaMax, double horizon) {
    return new LinearBetaSchedule(betaMin, betaMax, horizon);
  }

  /**
   * A user schedule from β(t) and its integral B(t) = ∫₀ᵗ β. The SDE that uses it checks, over its
   * horizon, that β is finite and non-negative and that B matches a quadrature of β.
   */
  static BetaSchedule of(DoubleUnaryOperator beta, DoubleUnaryOperator integral) {
    if (beta == null || integral == null) {
      throw new IllegalArgumentException("a beta schedule needs both beta(t) and its integral B(t), got null");
    }
    return new BetaSchedule() {
      @Override
      public double beta(double t) {
        return beta.applyAsDouble(t);
      }

      @Override
      public double integral(double t) {
        return integral.applyAsDouble(t);
      }

      @Override
      public String toString() {
        return "BetaSchedule.of(user functions)";
      }
    };
  }

  /**
   * Throws unless this schedule is usable on [0, T]: β finite and ≥ 0 on a grid, B(0) = 0 and B the
   * integral of β to 1e-4 relative accuracy.
   */
  default void validate(double horizon) {
    Schedules.positive("horizon T", horizon);
    for (int i = 0; i <= 100; i++) {
      double t = horizon * i / 100;
      Schedules.nonNegative("beta(" + t + ")", beta(t));
    }
    double b0 = integral(0);
    if (!(Math.abs(b0) <= 1e-12)) {
      throw new org.sbgm.InvalidInputException("the integral B(t) of beta must be 0 at t = 0, got " + b0);
    }
    Schedules.checkAntiderivative("the integral B(t) of beta", this::beta, this::integral, 0, horizon);
  }
}
