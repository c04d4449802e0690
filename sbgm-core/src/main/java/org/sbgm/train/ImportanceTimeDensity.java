package org.sbgm.train;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.sbgm.InvalidInputException;

/**
 * Importance sampling of times: a proposal density p̂(t) ≈ w(t)/Z on [ε, T], with w(t) = λ(t)/σ²(t)
 * (for the likelihood weighting w = g²/σ², which behaves like 1/t near 0 for VP, sub-VP and VE).
 *
 * <p>w is tabulated on a grid t_0 = ε < ... < t_n = T uniform in log t, the cell masses are the
 * trapezoid rule, and the proposal is the piecewise-constant density with those masses: its CDF is
 * piecewise linear, so t = F⁻¹(u) is exact. Because the weight uses the proposal's exact density,
 * E_{t~p̂}[ w(t) f(t) / ((T-ε) p̂(t)) ] = (1/(T-ε)) ∫ w f dt = E_{t~U[ε,T]}[ w(t) f(t) ] holds exactly
 * whatever the grid: the estimator is unbiased for the uniformly-weighted objective, and the grid only
 * sets how close to constant (how low-variance) the importance weight is. For the likelihood weighting
 * this is the importance sampling of Song, Durkan et al. 2021 (arXiv 2101.09258, Section 5).
 */
public final class ImportanceTimeDensity {
  /** The default number of grid cells. */
  public static final int DEFAULT_CELLS = 4096;

  private final double epsilon;
  private final double horizon;
  private final DoubleUnaryOperator weight;
  private final double[] grid;
  private final double[] cdf;
  private final double normaliser;

  /**
   * @param weight w(t) = λ(t)/σ²(t), finite and non-negative on [ε, T]
   * @param epsilon the smallest time ε &gt; 0
   * @param horizon the horizon T
   * @param cells the number of grid cells (at least 16)
   */
  public ImportanceTimeDensity(DoubleUnaryOperator weight, double epsilon, double horizon, int cells) {
    if (!(epsilon > 0 && epsilon < horizon) || Double.isInfinite(horizon)) {
      throw new InvalidInputException(
          "importance sampling of t needs 0 < epsilon < T, got epsilon = " + epsilon + " and T = " + horizon);
    }
    if (cells < 16) {
      throw new InvalidInputException("number of grid cells must be at least 16, got " + cells);
    }
    this.epsilon = epsilon;
    this.horizon = horizon;
    this.weight = weight;
    this.grid = new double[cells + 1];
    this.cdf = new double[cells + 1];
    double logRatio = Math.log(horizon / epsilon);
    double[] w = new double[cells + 1];
    for (int i = 0; i <= cells; i++) {
      grid[i] = i == cells ? horizon : epsilon * Math.exp(logRatio * i / cells);
      w[i] = weight.applyAsDouble(grid[i]);
      if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
        throw new InvalidInputException(
            "time weight lambda/sigma^2 must be finite and non-negative, got " + w[i] + " at t = " + grid[i]);
      }
    }
    grid[0] = epsilon;
    double total = 0;
    for (int i = 0; i < cells; i++) {
      total += 0.5 * (w[i] + w[i + 1]) * (grid[i + 1] - grid[i]);
      cdf[i + 1] = total;
    }
    if (!(total > 0)) {
      throw new InvalidInputException("time weight lambda/sigma^2 is zero on the whole of [epsilon, T]");
    }
    for (int i = 1; i <= cells; i++) {
      cdf[i] /= total;
    }
    cdf[cells] = 1.0;
    this.normaliser = total;
  }

  /** The trapezoid estimate of Z = ∫_ε^T w(t) dt. */
  public double normaliser() {
    return normaliser;
  }

  /**
   * Maps {@code u[i]} ∈ [0, 1) to {@code t[i]} = F⁻¹(u[i]) and writes the importance weight
   * w(t)/((T-ε) p̂(t)) to {@code ratio[i]}.
   */
  public void sample(double[] u, double[] t, double[] ratio) {
    for (int i = 0; i < u.length; i++) {
      double v = u[i];
      if (!(v >= 0 && v < 1)) {
        throw new InvalidInputException("u must lie in [0, 1), got " + v);
      }
      int cell = cellOf(v);
      double mass = cdf[cell + 1] - cdf[cell];
      double width = grid[cell + 1] - grid[cell];
      double ti = grid[cell] + (v - cdf[cell]) / mass * width;
      ti = Math.min(Math.max(ti, grid[cell]), grid[cell + 1]);
      t[i] = ti;
      double density = mass / width;
      ratio[i] = weight.applyAsDouble(ti) / ((horizon - epsilon) * density);
    }
  }

  /** The proposal density p̂(t) at {@code t} ∈ [ε, T] (right-continuous at cell edges). */
  public double density(double t) {
    if (!(t >= epsilon && t <= horizon)) {
      throw new InvalidInputException("t must lie in [" + epsilon + ", " + horizon + "], got " + t);
    }
    int pos = Arrays.binarySearch(grid, t);
    int cell = pos >= 0 ? Math.min(pos, grid.length - 2) : -pos - 2;
    return (cdf[cell + 1] - cdf[cell]) / (grid[cell + 1] - grid[cell]);
  }

  /** The largest cell index i with F_i ≤ u and F_{i+1} &gt; u. */
  private int cellOf(double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] <= u) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
