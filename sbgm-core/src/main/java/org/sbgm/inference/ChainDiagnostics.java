package org.sbgm.inference;

import org.sbgm.InvalidInputException;

/**
 * Convergence diagnostics of M chains of N draws of one scalar (Gelman et al., <i>Bayesian Data
 * Analysis</i>, 3rd ed., §11.4–11.5; as Stan computes them before rank normalisation).
 *
 * <ul>
 *   <li>Split R̂: each chain is cut into two halves (2M chains of n = ⌊N/2⌋); with W the mean within-chain
 *       variance and B/n the variance of the chain means, var⁺ = (n − 1)/n W + B/n and R̂ = √(var⁺/W). Values
 *       near 1 (below 1.01–1.1) mean the chains agree.
 *   <li>Effective sample size: with the autocovariances γ_m(t) of each chain, ρ̂_t = 1 − (W − mean_m γ_m(t))/var⁺,
 *       Geyer's initial monotone sequence of pair sums P_k = ρ̂_{2k} + ρ̂_{2k+1} (summed while positive and
 *       made non-increasing), τ̂ = −1 + 2 Σ_k P_k, and ESS = M N / τ̂.
 * </ul>
 * An ensemble sampler's walkers are not independent chains, but these are the usual summaries of them too.
 */
public final class ChainDiagnostics {
  private ChainDiagnostics() {}

  /** Split R̂ of {@code chains} ({@code [M][N]}, N ≥ 4). */
  public static double splitRhat(double[][] chains) {
    int n = check(chains) / 2;
    double[][] halves = new double[2 * chains.length][n];
    for (int m = 0; m < chains.length; m++) {
      int offset = chains[m].length - n; // drop the middle draw of an odd N
      System.arraycopy(chains[m], 0, halves[2 * m], 0, n);
      System.arraycopy(chains[m], offset, halves[2 * m + 1], 0, n);
    }
    double[] means = new double[halves.length];
    double w = 0;
    for (int m = 0; m < halves.length; m++) {
      means[m] = mean(halves[m]);
      w += variance(halves[m], means[m]);
    }
    w /= halves.length;
    double grand = mean(means);
    double b = 0;
    for (double mu : means) {
      b += (mu - grand) * (mu - grand);
    }
    b /= halves.length - 1; // B/n
    double plus = (n - 1.0) / n * w + b;
    if (w == 0) {
      return plus == 0 ? 1 : Double.POSITIVE_INFINITY;
    }
    return Math.sqrt(plus / w);
  }

  /** The effective sample size of {@code chains} ({@code [M][N]}, N ≥ 4). */
  public static double effectiveSampleSize(double[][] chains) {
    int n = check(chains);
    int m = chains.length;
    double[] means = new double[m];
    double[] acov0 = new double[m];
    for (int c = 0; c < m; c++) {
      means[c] = mean(chains[c]);
      acov0[c] = autocovariance(chains[c], means[c], 0);
    }
    double w = 0;
    for (int c = 0; c < m; c++) {
      w += acov0[c] * n / (n - 1.0);
    }
    w /= m;
    double between = 0;
    if (m > 1) {
      double grand = mean(means);
      for (double mu : means) {
        between += (mu - grand) * (mu - grand);
      }
      between /= m - 1;
    }
    double plus = (n - 1.0) / n * w + between;
    if (!(plus > 0)) {
      return m * (double) n; // a constant: every draw is as good as independent
    }
    double tau = -1;
    double previous = Double.POSITIVE_INFINITY;
    for (int k = 0; 2 * k + 1 < n; k++) {
      double pair = rho(chains, means, w, plus, 2 * k) + rho(chains, means, w, plus, 2 * k + 1);
      if (!(pair > 0)) {
        break;
      }
      pair = Math.min(pair, previous);
      tau += 2 * pair;
      previous = pair;
    }
    tau = Math.max(tau, 1 / Math.log10(Math.max(10, (double) m * n)));
    return m * (double) n / tau;
  }

  private static double rho(double[][] chains, double[] means, double w, double plus, int t) {
    if (t == 0) {
      return 1;
    }
    double s = 0;
    for (int c = 0; c < chains.length; c++) {
      s += autocovariance(chains[c], means[c], t);
    }
    return 1 - (w - s / chains.length) / plus;
  }

  /** γ(t) = (1/N) Σ_i (x_i − μ)(x_{i+t} − μ). */
  static double autocovariance(double[] x, double mean, int t) {
    double s = 0;
    for (int i = 0; i + t < x.length; i++) {
      s += (x[i] - mean) * (x[i + t] - mean);
    }
    return s / x.length;
  }

  private static int check(double[][] chains) {
    if (chains == null || chains.length == 0) {
      throw new InvalidInputException("diagnostics need at least one chain");
    }
    int n = chains[0].length;
    for (double[] c : chains) {
      if (c.length != n) {
        throw new InvalidInputException("diagnostics need chains of equal length, got " + n + " and " + c.length);
      }
    }
    if (n < 4) {
      throw new InvalidInputException("diagnostics need at least 4 draws per chain, got " + n);
    }
    return n;
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** The sample variance (N − 1 in the denominator). */
  static double variance(double[] x, double mean) {
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return s / (x.length - 1);
  }
}
