package org.sbgm.sample;

import org.sbgm.InvalidInputException;
import org.sbgm.sde.Sde;

/**
 * A decreasing grid of times from T to ε for a sampler with a fixed number of steps. A grid may depend
 * on the SDE's noise levels (log-SNR, Karras), so it is given the SDE.
 */
@FunctionalInterface
public interface TimeGrid {
  /**
   * {@code steps + 1} times, the first T = {@code sde.horizon()} and the last ε, strictly decreasing.
   *
   * @throws InvalidInputException when steps &lt; 1 or ε is not in (0, T)
   */
  double[] times(Sde sde, double epsilon, int steps);

  /** Equal steps in t, as score_sde (DDIM's "uniform" skip for continuous time). */
  static TimeGrid uniform() {
    return named("uniform", (sde, epsilon, steps) -> {
      double horizon = check(sde, epsilon, steps);
      double[] ts = new double[steps + 1];
      for (int i = 0; i <= steps; i++) {
        ts[i] = horizon + (epsilon - horizon) * i / steps;
      }
      ts[steps] = epsilon;
      return ts;
    });
  }

  /** Steps that shrink quadratically towards ε (t_i = ε + (T - ε)(1 - i/N)²), finer near the data. */
  static TimeGrid quadratic() {
    return named("quadratic", (sde, epsilon, steps) -> {
      double horizon = check(sde, epsilon, steps);
      double[] ts = new double[steps + 1];
      for (int i = 0; i <= steps; i++) {
        double u = 1.0 - (double) i / steps;
        ts[i] = epsilon + (horizon - epsilon) * u * u;
      }
      ts[0] = horizon;
      return ts;
    });
  }

  /**
   * Equal steps in the half log-SNR λ = ln(m/σ) from λ(T) to λ(ε), the grid of DPM-Solver++ (Lu et al.
   * 2022, arXiv 2211.01095, "logSNR" spacing): t_i = t(λ(T) + (i/N)(λ(ε) − λ(T))).
   */
  static TimeGrid logSnrUniform() {
    return named("logsnr", (sde, epsilon, steps) -> {
      double horizon = check(sde, epsilon, steps);
      NoiseSchedule s = NoiseSchedule.of(sde);
      double first = s.halfLogSnr(horizon);
      double last = s.halfLogSnr(epsilon);
      double[] ts = new double[steps + 1];
      ts[0] = horizon;
      for (int i = 1; i < steps; i++) {
        ts[i] = s.timeAtHalfLogSnr(first + (last - first) * i / steps);
      }
      ts[steps] = epsilon;
      return monotone(ts);
    });
  }

  /** The smallest ρ of a Karras grid. */
  static final double MIN_RHO = 0.05;
  /** The largest ρ of a Karras grid. */
  static final double MAX_RHO = 100;

  /**
   * Karras et al.'s grid (arXiv 2206.00364, eq. 5) in the noise level σ̃ = σ/m from σ̃(T) to σ̃(ε):
   * σ̃_i = (σ̃_max^{1/ρ} + (i/N)(σ̃_min^{1/ρ} − σ̃_max^{1/ρ}))^ρ, then t_i = t(σ̃_i); ρ = 7 is EDM's
   * choice (ρ = 1 is uniform in σ̃, large ρ tends to uniform in log σ̃).
   *
   * @throws InvalidInputException when ρ lies outside [{@value #MIN_RHO}, {@value #MAX_RHO}] (beyond them σ^(1/ρ)
   *     overflows or the grid collapses onto one end)
   */
  static TimeGrid karras(double rho) {
    if (!(rho >= MIN_RHO && rho <= MAX_RHO)) {
      throw new InvalidInputException("the Karras grid's rho must lie in [" + MIN_RHO + ", " + MAX_RHO
          + "] (7 is the usual), got " + rho);
    }
    return named("karras:" + rho, (sde, epsilon, steps) -> {
      double horizon = check(sde, epsilon, steps);
      NoiseSchedule s = NoiseSchedule.of(sde);
      double hi = Math.pow(s.sigmaTilde(horizon), 1 / rho);
      double lo = Math.pow(s.sigmaTilde(epsilon), 1 / rho);
      double[] ts = new double[steps + 1];
      ts[0] = horizon;
      for (int i = 1; i < steps; i++) {
        ts[i] = s.timeAtSigmaTilde(Math.pow(hi + (lo - hi) * i / steps, rho));
      }
      ts[steps] = epsilon;
      return monotone(ts);
    });
  }

  /**
   * The grid named {@code uniform}, {@code quadratic}, {@code logsnr} or {@code karras} (ρ = 7), or
   * {@code karras:RHO}.
   *
   * @throws InvalidInputException for any other name
   */
  static TimeGrid parse(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
    if (key.startsWith("karras:")) {
      double rho;
      try {
        rho = Double.parseDouble(key.substring("karras:".length()));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("the time grid 'karras:RHO' needs a number RHO, got '" + name + "'");
      }
      return karras(rho);
    }
    return switch (key) {
      case "uniform" -> uniform();
      case "quadratic" -> quadratic();
      case "logsnr" -> logSnrUniform();
      case "karras" -> karras(7);
      default -> throw new InvalidInputException("the time grid must be one of uniform, quadratic, logsnr, karras or "
          + "karras:RHO, got " + (name == null ? "nothing" : "'" + name + "'"));
    };
  }

  /** {@code grid} with a name for {@code toString} (the name {@link #parse} reads). */
  private static TimeGrid named(String name, TimeGrid grid) {
    return new TimeGrid() {
      @Override
      public double[] times(Sde sde, double epsilon, int steps) {
        return grid.times(sde, epsilon, steps);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static double check(Sde sde, double epsilon, int steps) {
    if (steps < 1) {
      throw new InvalidInputException("the number of steps must be at least 1, got " + steps);
    }
    double horizon = sde.horizon();
    if (!(epsilon > 0) || !(epsilon < horizon)) {
      throw new InvalidInputException("epsilon must lie in (0, T=" + horizon + "), got " + epsilon);
    }
    return horizon;
  }

  private static double[] monotone(double[] ts) {
    for (int i = 1; i < ts.length; i++) {
      if (!(ts[i] < ts[i - 1])) {
        throw new InvalidInputException("the time grid is not strictly decreasing at step " + i + " (" + ts[i - 1] + " then "
            + ts[i] + "); use fewer steps");
      }
    }
    return ts;
  }
}
