package org.sbgm.inference;

import java.util.Arrays;

/**
 * A posterior's one- and two-parameter marginals on common bins, from draws (smoothed histograms) or from a
 * grid posterior (exact sums over the grid): the numbers behind a corner plot, and the levels of its
 * highest-density credible regions.
 *
 * @param centres {@code centres[j]} the bin centres of parameter j, equally spaced
 * @param density {@code density[j]} the marginal density of parameter j at its centres (integrates to the
 *     mass inside the window)
 * @param joint {@code joint[i][j]} for i &gt; j the mass of the (θ_j, θ_i) bins, rows along θ_i, columns along θ_j;
 *     null elsewhere
 */
public record Marginals(double[][] centres, double[][] density, double[][][][] joint) {
  /**
   * Marginals of draws {@code [n][P]}, binned over {@code window} ({@code [P][2]}, each [lo, hi]) in {@code bins}
   * bins per parameter; draws outside a window are left out. Every histogram is then smoothed by two passes of a
   * 1-2-1 kernel (along each axis for the joints), which keeps the mass away from the window's edges and
   * makes contours readable at a few thousand draws.
   */
  public static Marginals ofSamples(double[][] samples, double[][] window, int bins) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no draws to bin");
    }
    if (bins < 2) {
      throw new IllegalArgumentException("at least 2 bins per parameter, got " + bins);
    }
    int p = window.length;
    for (int j = 0; j < p; j++) {
      if (!(window[j][1] > window[j][0])) {
        throw new IllegalArgumentException("window " + j + " must be [lo, hi] with lo < hi, got " + Arrays.toString(window[j]));
      }
    }
    double[][] centres = new double[p][bins];
    double[][] density = new double[p][bins];
    double[][][][] joint = new double[p][p][][];
    for (int j = 0; j < p; j++) {
      double h = (window[j][1] - window[j][0]) / bins;
      for (int b = 0; b < bins; b++) {
        centres[j][b] = window[j][0] + (b + 0.5) * h;
      }
      for (double[] s : samples) {
        int b = bin(s[j], window[j], bins);
        if (b >= 0) {
          density[j][b] += 1.0 / (samples.length * h);
        }
      }
      density[j] = smooth(new double[][] {density[j]})[0];
      for (int i = j + 1; i < p; i++) {
        double[][] m = new double[bins][bins];
        for (double[] s : samples) {
          int bx = bin(s[j], window[j], bins);
          int by = bin(s[i], window[i], bins);
          if (bx >= 0 && by >= 0) {
            m[by][bx] += 1.0 / samples.length;
          }
        }
        joint[i][j] = smooth(m);
      }
    }
    return new Marginals(centres, density, joint);
  }

  /** The marginals of a grid posterior (P ≤ 2): densities from its marginal masses, the joint its probabilities. */
  public static Marginals ofGrid(GridPosterior.Result r) {
    int p = r.dimension();
    if (p > 2) {
      throw new IllegalArgumentException("grid marginals cover at most 2 parameters, got " + p);
    }
    int k = r.axes()[0].length;
    double[][] density = new double[p][];
    for (int j = 0; j < p; j++) {
      double h = r.axes()[j][1] - r.axes()[j][0];
      density[j] = Arrays.stream(r.marginal(j)).map(v -> v / h).toArray();
    }
    double[][][][] joint = new double[p][p][][];
    if (p == 2) {
      double[][] m = new double[k][k];
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          m[b][a] = r.probability()[a * k + b]; // row along θ_2, column along θ_1
        }
      }
      joint[1][0] = m;
    }
    return new Marginals(r.axes(), density, joint);
  }

  /**
   * A window [lo, hi] per parameter that shows draws {@code [n][P]}: their 0.5% and 99.5% quantiles, widened to
   * hold {@code truth} when given, padded by 15% of the width on each side.
   */
  public static double[][] window(double[][] samples, double[] truth) {
    int p = samples[0].length;
    double[][] out = new double[p][2];
    for (int j = 0; j < p; j++) {
      final int c = j;
      double[] v = Arrays.stream(samples).mapToDouble(s -> s[c]).sorted().toArray();
      double lo = v[(int) (0.005 * (v.length - 1))];
      double hi = v[(int) (0.995 * (v.length - 1))];
      if (truth != null) {
        lo = Math.min(lo, truth[j]);
        hi = Math.max(hi, truth[j]);
      }
      double pad = 0.15 * Math.max(hi - lo, 1e-9);
      out[j] = new double[] {lo - pad, hi + pad};
    }
    return out;
  }

  /** Boxes {@code [2][P]} (lower ends, then upper ends) and windows {@code [P][2]} ([lo, hi] per parameter) into each other. */
  public static double[][] transpose(double[][] m) {
    double[][] out = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        out[j][i] = m[i][j];
      }
    }
    return out;
  }

  /**
   * The level of the highest-density region holding {@code fraction} of {@code mass}: the value above which (the
   * largest cells first) the cells hold at least that fraction of the total.
   */
  public static double credibleLevel(double[][] mass, double fraction) {
    double[] all = Arrays.stream(mass).flatMapToDouble(Arrays::stream).toArray();
    Arrays.sort(all);
    double total = Arrays.stream(all).sum();
    double running = 0;
    for (int i = all.length - 1; i >= 0; i--) {
      running += all[i];
      if (running >= fraction * total) {
        return all[i];
      }
    }
    return all[0];
  }

  private static int bin(double v, double[] range, int bins) {
    int b = (int) Math.floor((v - range[0]) / (range[1] - range[0]) * bins);
    return b < 0 || b >= bins ? -1 : b;
  }

  /** Two passes (along columns, then rows) of a 1-2-1 kernel, renormalised at the edges. */
  private static double[][] smooth(double[][] m) {
    double[][] a = m;
    for (int pass = 0; pass < 2; pass++) {
      int rows = a.length;
      int cols = a[0].length;
      double[][] b = new double[rows][cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          double s = 0;
          double w = 0;
          for (int d = -1; d <= 1; d++) {
            int rr = pass == 0 ? r : r + d;
            int cc = pass == 0 ? c + d : c;
            if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
              double k = d == 0 ? 2 : 1;
              s += k * a[rr][cc];
              w += k;
            }
          }
          b[r][c] = s / w;
        }
      }
      a = b;
    }
    return a;
  }
}
