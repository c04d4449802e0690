package org.sbgm.inference;

import java.util.Objects;
import org.sbgm.InvalidInputException;

/**
 * The posterior of P ≤ 2 parameters on a grid: K cell centres per axis over a box (by default the prior's,
 * {@link Prior#box()}), θ_j = lo_j + (i + ½) h_j with h_j = (hi_j − lo_j)/K; the unnormalised log posterior
 * log L(θ) + log π(θ) at every centre (batched), normalised by the midpoint rule, p_i = e^{ℓ_i} / Σ e^{ℓ}
 * (log-sum-exp), and the moments and marginals of that discrete posterior. The evidence estimate is
 * log Σ_i e^{ℓ_i} Π_j h_j ≈ log ∫ L π dθ.
 */
public final class GridPosterior {
  /** Progress: {@code done} of {@code total} points are evaluated. */
  @FunctionalInterface
  public interface Listener {
    void points(long done, long total);
  }

  /**
   * The grid and its normalised posterior.
   *
   * @param axes the cell centres of each axis, {@code [P][K]}
   * @param logPosterior the unnormalised log posterior at each point, row-major (the last axis fastest)
   * @param probability the normalised mass of each cell (sums to 1)
   * @param logEvidence log Σ e^ℓ Π h, the log marginal likelihood by the midpoint rule
   */
  public record Result(double[][] axes, double[] logPosterior, double[] probability, double logEvidence) {
    /** P. */
    public int dimension() {
      return axes.length;
    }

    /** The grid point of flat index {@code i}. */
    public double[] point(int i) {
      int p = axes.length;
      int k = axes[0].length;
      double[] theta = new double[p];
      for (int j = p - 1; j >= 0; j--) {
        theta[j] = axes[j][i % k];
        i /= k;
      }
      return theta;
    }

    /** The posterior mean. */
    public double[] mean() {
      double[] m = new double[axes.length];
      for (int i = 0; i < probability.length; i++) {
        double[] t = point(i);
        for (int j = 0; j < m.length; j++) {
          m[j] += probability[i] * t[j];
        }
      }
      return m;
    }

    /** The posterior covariance. */
    public double[][] covariance() {
      double[] m = mean();
      int p = axes.length;
      double[][] c = new double[p][p];
      for (int i = 0; i < probability.length; i++) {
        double[] t = point(i);
        for (int a = 0; a < p; a++) {
          for (int b = 0; b < p; b++) {
            c[a][b] += probability[i] * (t[a] - m[a]) * (t[b] - m[b]);
          }
        }
      }
      return c;
    }

    /** The posterior standard deviations. */
    public double[] sd() {
      return sqrtDiagonal(covariance());
    }

    /** The square roots of a covariance's diagonal: the standard deviations. */
    static double[] sqrtDiagonal(double[][] c) {
      double[] s = new double[c.length];
      for (int j = 0; j < s.length; j++) {
        s[j] = Math.sqrt(c[j][j]);
      }
      return s;
    }

    /**
     * {@code n} draws from the grid posterior: a cell with its probability, then a uniform point inside it
     * (the midpoint rule's piecewise-constant density), from {@code generator}.
     */
    public double[][] sample(int n, org.bytedeco.pytorch.Generator generator) {
      int p = axes.length;
      double[] u;
      try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
        u = org.sbgm.torch.Torch.toDoubles(org.sbgm.torch.Torch.rand(new long[] {n, p + 1}, generator,
            org.sbgm.torch.Torch.options(org.sbgm.torch.DType.FLOAT64)));
      }
      double[] cumulative = new double[probability.length];
      double s = 0;
      for (int i = 0; i < probability.length; i++) {
        s += probability[i];
        cumulative[i] = s;
      }
      double[][] out = new double[n][];
      for (int d = 0; d < n; d++) {
        double target = u[d * (p + 1)] * s;
        int i = java.util.Arrays.binarySearch(cumulative, target);
        i = Math.min(probability.length - 1, i >= 0 ? i : -i - 1);
        double[] theta = point(i);
        for (int j = 0; j < p; j++) {
          double h = axes[j][1] - axes[j][0];
          theta[j] += (u[d * (p + 1) + 1 + j] - 0.5) * h;
        }
        out[d] = theta;
      }
      return out;
    }

    /** The marginal mass of axis {@code j}'s K cells. */
    public double[] marginal(int j) {
      double[] out = new double[axes[j].length];
      int k = axes[0].length;
      int stride = 1;
      for (int a = axes.length - 1; a > j; a--) {
        stride *= k;
      }
      for (int i = 0; i < probability.length; i++) {
        out[(i / stride) % k] += probability[i];
      }
      return out;
    }
  }

  private GridPosterior() {}

  /** Bytes held per grid point: the log posterior, the probability and the cumulative sum of sampling. */
  static final int BYTES_PER_POINT = 24;

  /**
   * Refuses a grid of K^P points ({@code pointsPerAxis}^{@code p}) that cannot be held: more points than a Java
   * array holds, or more memory than the Java heap may use ({@value #BYTES_PER_POINT} bytes a point).
   *
   * @throws InvalidInputException naming K, P and the size or memory needed
   */
  public static void checkSize(int pointsPerAxis, int p) {
    double total = Math.pow(pointsPerAxis, p);
    String what = "a grid of K^P = " + pointsPerAxis + (p == 1 ? "" : "^" + p) + " = "
        + String.format(java.util.Locale.ROOT, "%.0f", total) + " points";
    org.sbgm.Memory.checkArray(what, total);
    org.sbgm.Memory.checkHeap(what, total * BYTES_PER_POINT);
  }

  /**
   * Evaluates {@code posterior} on K = {@code pointsPerAxis} centres per axis over {@code box}
   * ({@code [2][P]}, lower then upper ends; null for the prior's box), {@code batch} points per likelihood call.
   */
  public static Result evaluate(Posterior posterior, int pointsPerAxis, double[][] box, int batch, Listener listener) {
    Objects.requireNonNull(posterior, "posterior");
    int p = posterior.dimension();
    if (p > 2) {
      throw new InvalidInputException("a grid posterior covers at most 2 parameters, but the model has " + p
          + "; use MCMC (chains and steps) instead");
    }
    if (pointsPerAxis < 2) {
      throw new InvalidInputException("the grid needs at least 2 points per axis, got " + pointsPerAxis);
    }
    if (batch < 1) {
      throw new InvalidInputException("the batch size must be at least 1, got " + batch);
    }
    checkSize(pointsPerAxis, p);
    double[][] b = box == null ? posterior.prior().box() : box;
    int k = pointsPerAxis;
    double[][] axes = new double[p][k];
    double cell = 1;
    for (int j = 0; j < p; j++) {
      if (!(b[1][j] > b[0][j]) || !Double.isFinite(b[0][j]) || !Double.isFinite(b[1][j])) {
        throw new InvalidInputException("the grid's range of parameter " + (j + 1) + " must be finite with LO < HI, got ["
            + b[0][j] + ", " + b[1][j] + "]");
      }
      double h = (b[1][j] - b[0][j]) / k;
      cell *= h;
      for (int i = 0; i < k; i++) {
        axes[j][i] = b[0][j] + (i + 0.5) * h;
      }
    }
    int total = (int) Math.pow(k, p);
    Result shape = new Result(axes, null, null, 0);
    double[] logs = new double[total];
    for (int start = 0; start < total; start += batch) {
      int m = Math.min(batch, total - start);
      double[][] points = new double[m][];
      for (int i = 0; i < m; i++) {
        points[i] = shape.point(start + i);
      }
      System.arraycopy(posterior.logDensity(points), 0, logs, start, m);
      if (listener != null) {
        listener.points(start + m, total);
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    int notFinite = 0;
    int first = -1;
    for (int i = 0; i < total; i++) {
      double v = logs[i];
      if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
        notFinite++;
        first = first < 0 ? i : first;
      } else {
        max = Math.max(max, v);
      }
    }
    if (notFinite > 0) {
      throw new InferenceException("the log posterior is not a finite number (" + logs[first] + ") at " + notFinite + " of the "
          + total + " grid points, the first at θ = " + java.util.Arrays.toString(shape.point(first)));
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new InferenceException("the posterior is zero (its log −∞ or not a number) at every one of the " + total + " grid points");
    }
    double sum = 0;
    for (double v : logs) {
      sum += Math.exp(v - max);
    }
    double[] probability = new double[total];
    for (int i = 0; i < total; i++) {
      probability[i] = Math.exp(logs[i] - max) / sum;
    }
    double logEvidence = max + Math.log(sum) + Math.log(cell);
    if (!Double.isFinite(logEvidence)) {
      throw new InferenceException("the grid's log evidence is not finite (" + logEvidence + "): the cells of the box "
          + java.util.Arrays.deepToString(b) + " are too small or too large for doubles");
    }
    return new Result(axes, logs, probability, logEvidence);
  }
}
