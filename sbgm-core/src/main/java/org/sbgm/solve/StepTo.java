package org.sbgm.solve;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;

/**
 * Steps onto the points of a given strictly monotone grid t0 = ts[0], ts[1], …, ts[n] = t1, exactly
 * (each step ends on ts[k] itself, not on t ± h, so the grid is not blurred by rounding), as diffrax's
 * {@code StepTo}. Every step is accepted and no error estimate is needed. The grid may be uneven, e.g.
 * a sampler's {@code TimeGrid}; it must start at the integration's t0 and end at its t1. When the
 * integrator shortens a step to land on a save time between grid points, the next step resumes at the
 * next grid point.
 *
 * @param ts the grid, at least two points, finite, strictly increasing or strictly decreasing
 */
public record StepTo(double[] ts) implements StepSizeController {

  /** Copies and checks the grid. */
  public StepTo {
    if (ts == null || ts.length < 2) {
      throw new InvalidInputException("A StepTo grid needs at least two times, got " + (ts == null ? "none" : ts.length) + ".");
    }
    double dir = Math.signum(ts[1] - ts[0]);
    for (int i = 0; i < ts.length; i++) {
      if (!Double.isFinite(ts[i])) {
        throw new InvalidInputException("Grid time ts[" + i + "] is " + ts[i] + "; grid times must be finite.");
      }
      if (i > 0 && !(dir * (ts[i] - ts[i - 1]) > 0)) {
        throw new InvalidInputException("The time grid must be strictly monotone, but ts[" + i + "] = " + ts[i]
            + " follows ts[" + (i - 1) + "] = " + ts[i - 1] + ".");
      }
    }
    ts = ts.clone();
  }

  /** Steps onto the points {@code ts}. */
  public static StepTo grid(double... ts) {
    return new StepTo(ts);
  }

  @Override
  public double[] ts() {
    return ts.clone();
  }

  /** The number of steps, n = ts.length − 1. */
  public int steps() {
    return ts.length - 1;
  }

  @Override
  public boolean isAdaptive() {
    return false;
  }

  @Override
  public Run begin(double t0, double t1, int errorOrder) {
    int n = ts.length - 1;
    if (t0 != ts[0] || t1 != ts[n]) {
      throw new InvalidInputException("The StepTo grid runs from " + ts[0] + " to " + ts[n] + " but the integration runs from "
          + t0 + " to " + t1 + "; the grid must start at t0 and end at t1.");
    }
    double direction = Math.signum(t1 - t0);
    double tol = 1e-12 * Math.abs(t1 - t0);
    return new Run() {
      private int k = 1; // the index of the first grid point not yet reached

      /** The first grid point strictly beyond t (points within tol of t count as reached). */
      private int beyond(double t) {
        while (k < n && direction * (ts[k] - t) <= tol) {
          k++;
        }
        return k;
      }

      @Override
      public double initialStep(VectorField f, Tensor y0, Tensor f0) {
        return Math.abs(ts[1] - ts[0]);
      }

      @Override
      public Decision adapt(double t, double h, Tensor y0, Tensor y1, Tensor error) {
        double tNew = t + h;
        double next = Math.abs(ts[beyond(tNew)] - tNew);
        return Decision.accept(next > 0 ? next : Math.abs(ts[n] - ts[n - 1]));
      }

      @Override
      public double nextTime(double t) {
        return ts[beyond(t)];
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepTo s && Arrays.equals(ts, s.ts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ts);
  }

  @Override
  public String toString() {
    return "StepTo[" + (ts.length - 1) + " steps from " + ts[0] + " to " + ts[ts.length - 1] + "]";
  }
}
