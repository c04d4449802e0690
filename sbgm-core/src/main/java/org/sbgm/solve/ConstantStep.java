package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;

/**
 * Fixed steps on the grid t_k = t0 + k·h, with h = ±dt or h = (t1 − t0)/n. Every step is accepted and
 * no error estimate is needed. Steps aim at the next grid point, so the grid does not drift through
 * rounding; when the integrator shortens a step to land on a save time, the following step resumes
 * at the next grid point. With {@link #of(double)} a last, shorter step lands on t1 when dt does not
 * divide the interval.
 *
 * @param dt the step magnitude, or NaN when {@code steps} is given
 * @param steps the number of equal steps over the interval, or 0 when {@code dt} is given
 */
public record ConstantStep(double dt, int steps) implements StepSizeController {

  /** Validates that exactly one of dt and steps is given. */
  public ConstantStep {
    boolean byDt = !Double.isNaN(dt);
    if (byDt == (steps != 0)) {
      throw new InvalidInputException("ConstantStep needs exactly one of dt (got " + dt + ") and steps (got " + steps + ").");
    }
    if (byDt && !(dt > 0 && Double.isFinite(dt))) {
      throw new InvalidInputException("ConstantStep dt must be a positive finite number, got " + dt + ".");
    }
    if (!byDt && steps < 1) {
      throw new InvalidInputException("ConstantStep steps must be at least 1, got " + steps + ".");
    }
  }

  /** Steps of magnitude {@code dt} (the direction comes from the interval). */
  public ConstantStep(double dt) {
    this(dt, 0);
  }

  /** Steps of magnitude {@code dt} (the direction comes from the interval). */
  public static ConstantStep of(double dt) {
    return new ConstantStep(dt, 0);
  }

  /** {@code n} equal steps over the whole interval. */
  public static ConstantStep steps(int n) {
    return new ConstantStep(Double.NaN, n);
  }

  @Override
  public boolean isAdaptive() {
    return false;
  }

  @Override
  public Run begin(double t0, double t1, int errorOrder) {
    double h = steps != 0 ? (t1 - t0) / steps : Math.copySign(dt, t1 - t0);
    return new Run() {
      @Override
      public double initialStep(VectorField f, Tensor y0, Tensor f0) {
        return Math.abs(h);
      }

      @Override
      public Decision adapt(double t, double taken, Tensor y0, Tensor y1, Tensor error) {
        double tNew = t + taken;
        // Index of the last grid point at or before tNew (a point within 1e-6 h counts as reached).
        double k = Math.floor((tNew - t0) / h + 1e-6);
        return Decision.accept(Math.abs(t0 + (k + 1) * h - tNew));
      }
    };
  }
}
