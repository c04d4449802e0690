package org.sbgm.sample;

/**
 * A decreasing grid of times from T to ε for a sampler with a fixed number of steps.
 */
@FunctionalInterface
public interface TimeGrid {
  /** {@code steps + 1} times, the first T and the last ε, strictly decreasing. */
  double[] times(double horizon, double epsilon, int steps);

  /** Equal steps in t, as score_sde. */
  static TimeGrid uniform() {
    return (horizon, epsilon, steps) -> {
      check(horizon, epsilon, steps);
      double[] ts = new double[steps + 1];
      for (int i = 0; i <= steps; i++) {
        ts[i] = horizon + (epsilon - horizon) * i / steps;
      }
      ts[steps] = epsilon;
      return ts;
    };
  }

  /** Steps that shrink quadratically towards ε (t_i = ε + (T - ε)(1 - i/N)²), finer near the data. */
  static TimeGrid quadratic() {
    return (horizon, epsilon, steps) -> {
      check(horizon, epsilon, steps);
      double[] ts = new double[steps + 1];
      for (int i = 0; i <= steps; i++) {
        double u = 1.0 - (double) i / steps;
        ts[i] = epsilon + (horizon - epsilon) * u * u;
      }
      return ts;
    };
  }

  private static void check(double horizon, double epsilon, int steps) {
    if (steps < 1) {
      throw new org.sbgm.InvalidInputException("the number of steps must be at least 1, got " + steps);
    }
    if (!(epsilon > 0) || !(epsilon < horizon)) {
      throw new org.sbgm.InvalidInputException("epsilon must lie in (0, T=" + horizon + "), got " + epsilon);
    }
  }
}
