package org.sbgm.sample;

import java.util.Objects;
import org.sbgm.InvalidInputException;
import org.sbgm.sde.Sde;

/**
 * The noise levels of a diffusion SDE's kernel N(m(t) x₀, σ(t)² I) as the few-step samplers use them:
 * the half log-SNR λ(t) = ln(m/σ) and EDM's noise level σ̃(t) = σ/m = e^{−λ}, and their inverses
 * t(λ), t(σ̃) (by bisection on [0, T] in double precision, to a relative 1e-15 of T), which turn
 * log-SNR-uniform and Karras grids into times. λ must decrease strictly in t on (0, T], which
 * {@link #of} checks on a fine grid, with one more check that the methods which step with the data
 * prediction apply: the SDE's diffusion must be the one its kernel implies,
 * g² = dσ²/dt − 2 (d ln m/dt) σ² (true of VP, sub-VP and VE); then the probability-flow ODE that DDIM,
 * DPM-Solver++ and EDM discretise through (m, σ) is the SDE's own.
 */
public final class NoiseSchedule {
  private static final int CHECKS = 64;
  private final Sde sde;

  private NoiseSchedule(Sde sde) {
    this.sde = sde;
  }

  /**
   * The schedule of {@code sde}, checked.
   *
   * @throws InvalidInputException when λ(t) is not strictly decreasing or g² does not match the kernel
   */
  public static NoiseSchedule of(Sde sde) {
    Objects.requireNonNull(sde, "sde");
    NoiseSchedule s = new NoiseSchedule(sde);
    double horizon = sde.horizon();
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 1; i <= CHECKS; i++) {
      double t = horizon * i / CHECKS;
      double lambda = s.halfLogSnr(t);
      if (!(lambda < previous)) {
        throw new InvalidInputException("the SDE " + sde + " does not have a strictly decreasing log-SNR ln(m/σ) on (0, T] "
            + "(at t = " + t + " it is " + lambda + "), which DDIM, EDM and DPM-Solver++ need");
      }
      previous = lambda;
      double h = 1e-6 * horizon;
      double a = Math.max(t - h, 0.5 * t);
      double b = Math.min(t + h, horizon);
      double m = sde.meanCoefficient(t);
      double sigma = sde.marginalStd(t);
      double dVar = (sq(sde.marginalStd(b)) - sq(sde.marginalStd(a))) / (b - a);
      double dLogM = (Math.log(sde.meanCoefficient(b)) - Math.log(sde.meanCoefficient(a))) / (b - a);
      double implied = dVar - 2 * dLogM * sigma * sigma;
      double g2 = sq(sde.diffusion(t));
      if (!(Math.abs(implied - g2) <= 1e-4 * Math.max(g2, implied) + 1e-12) || !(m > 0)) {
        throw new InvalidInputException("the SDE " + sde + " has g(t)² = " + g2 + " at t = " + t + " but its kernel implies "
            + "dσ²/dt − 2 (d ln m/dt) σ² = " + implied + "; DDIM, EDM and DPM-Solver++ step with the kernel's m and σ, "
            + "so they do not apply to it");
      }
    }
    return s;
  }

  private static double sq(double v) {
    return v * v;
  }

  /** The SDE. */
  public Sde sde() {
    return sde;
  }

  /** λ(t) = ln(m(t)/σ(t)); +∞ at t = 0. */
  public double halfLogSnr(double t) {
    return Math.log(sde.meanCoefficient(t)) - Math.log(sde.marginalStd(t));
  }

  /** σ̃(t) = σ(t)/m(t). */
  public double sigmaTilde(double t) {
    return sde.marginalStd(t) / sde.meanCoefficient(t);
  }

  /**
   * The time t in [0, T] with λ(t) = {@code lambda}.
   *
   * @throws InvalidInputException when λ lies outside [λ(T), +∞)
   */
  public double timeAtHalfLogSnr(double lambda) {
    double horizon = sde.horizon();
    if (!(lambda >= halfLogSnr(horizon)) || Double.isNaN(lambda)) {
      throw new InvalidInputException("log-SNR " + lambda + " lies below its value at T = " + horizon + ", "
          + halfLogSnr(horizon));
    }
    double lo = 0;
    double hi = horizon;
    while (hi - lo > 1e-15 * horizon) {
      double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) {
        break;
      }
      if (halfLogSnr(mid) > lambda) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** The time t in [0, T] with σ̃(t) = {@code sigmaTilde} (&gt; 0, at most σ̃(T)). */
  public double timeAtSigmaTilde(double sigmaTilde) {
    if (!(sigmaTilde > 0)) {
      throw new InvalidInputException("the noise level σ/m must be positive, got " + sigmaTilde);
    }
    return timeAtHalfLogSnr(-Math.log(sigmaTilde));
  }

  @Override
  public String toString() {
    return "NoiseSchedule(" + sde + ")";
  }
}
