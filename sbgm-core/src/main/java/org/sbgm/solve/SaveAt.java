package org.sbgm.solve;

import java.util.Arrays;
import org.sbgm.InvalidInputException;

/**
 * Which states a solve returns. {@link #finalOnly()} keeps the state at t1; {@link #times(double...)}
 * keeps the states at the given times, which must lie in [t0, t1] and be ordered in the direction of
 * integration (non-decreasing forwards, non-increasing backwards); {@link Integrator} checks this.
 *
 * <p>Save times are reached by stepping exactly onto them (a step that would cross a save time is
 * shortened to end on it), not by interpolation, so a saved state carries only the solver's own
 * error. This costs a few extra steps when save times are dense.
 *
 * @param ts the save times, or null for the final state only
 */
public record SaveAt(double[] ts) {

  /** Copies and checks the times. */
  public SaveAt {
    if (ts != null) {
      if (ts.length == 0) {
        throw new InvalidInputException("SaveAt.times needs at least one time; use SaveAt.finalOnly() to keep only the final state.");
      }
      for (double t : ts) {
        if (!Double.isFinite(t)) {
          throw new InvalidInputException("SaveAt times must be finite, got " + t + ".");
        }
      }
      ts = ts.clone();
    }
  }

  /** Only the final state (the solution's ts is {t1}). */
  public static SaveAt finalOnly() {
    return new SaveAt(null);
  }

  /** The states at these times, in the direction of integration. */
  public static SaveAt times(double... ts) {
    if (ts == null) {
      throw new InvalidInputException("SaveAt.times needs an array of times, got null.");
    }
    return new SaveAt(ts);
  }

  /** The save times for an integration from t0 to t1, checked. */
  double[] resolve(double t0, double t1) {
    if (ts == null) {
      return new double[] {t1};
    }
    double lo = Math.min(t0, t1);
    double hi = Math.max(t0, t1);
    double dir = t1 >= t0 ? 1 : -1;
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] < lo || ts[i] > hi) {
        throw new InvalidInputException("Save time " + ts[i] + " lies outside the integration interval [" + t0 + ", " + t1 + "].");
      }
      if (i > 0 && dir * (ts[i] - ts[i - 1]) < 0) {
        throw new InvalidInputException("Save times must be ordered in the direction of integration (from " + t0 + " to " + t1
            + "), but " + ts[i] + " follows " + ts[i - 1] + ".");
      }
    }
    return ts.clone();
  }

  @Override
  public double[] ts() {
    return ts == null ? null : ts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SaveAt s && Arrays.equals(ts, s.ts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ts);
  }

  @Override
  public String toString() {
    return ts == null ? "SaveAt[final]" : "SaveAt" + Arrays.toString(ts);
  }
}
