package org.sbgm.inference;

import java.util.Locale;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;

/**
 * A prior density π(θ) over θ ∈ ℝ^P with independent components: {@link UniformPrior} (a box) or
 * {@link NormalPrior}. {@link #parse} reads the command line's {@code uniform:LO,HI[,LO,HI...]} and
 * {@code normal:MU,SD[,MU,SD...]} (one pair for every component, or a single pair for all of them).
 */
public interface Prior {
  /**
   * The largest magnitude of the box's ends (a uniform range, a normal mean ± 5 sd): 1e30, far beyond any
   * parameter's scale and well inside float32 (3.4e38), in which models take their conditions; beyond it a
   * model's input overflows.
   */
  double MAX_MAGNITUDE = 1e30;

  /**
   * The smallest width of a uniform range and the smallest normal standard deviation: 1e-100, so that densities,
   * grid cells (their widths squared) and their logarithms stay finite.
   */
  double MIN_SCALE = 1e-100;

  /**
   * Checks the box [lo, hi] of component {@code j} (1-based, for the message) of a prior described by {@code what}.
   *
   * @throws InvalidInputException when an end or the width is not finite, an end exceeds {@link #MAX_MAGNITUDE}
   *     or the width is below {@link #MIN_SCALE}
   */
  static void checkBox(String what, int j, double lo, double hi) {
    double width = hi - lo;
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !Double.isFinite(width) || Math.abs(lo) > MAX_MAGNITUDE
        || Math.abs(hi) > MAX_MAGNITUDE) {
      throw new InvalidInputException(what + " of parameter " + j + " spans [" + lo + ", " + hi + "], beyond the finite "
          + "range [-" + MAX_MAGNITUDE + ", " + MAX_MAGNITUDE + "] that the parameters must lie in");
    }
    if (!(width >= MIN_SCALE)) {
      throw new InvalidInputException(what + " of parameter " + j + " spans [" + lo + ", " + hi + "], narrower than "
          + MIN_SCALE + ", below which its density underflows");
    }
  }
  /** P. */
  int dimension();

  /** log π(θ) of one point θ of P values; −∞ outside the support. */
  double logDensity(double[] theta);

  /** True when θ lies in the support (a proposal outside it is rejected without evaluating the likelihood). */
  boolean contains(double[] theta);

  /** {@code n} independent draws, {@code [n][P]}, from {@code generator}. */
  double[][] sample(int n, Generator generator);

  /**
   * A box [lo_j, hi_j] per component holding the prior's mass for a grid: the support of a uniform prior,
   * μ ± 5σ of a normal one ({@code [2][P]}: lower ends, then upper ends).
   */
  double[][] box();

  /** {@link #box()} as one window [lo_j, hi_j] per component ({@code [P][2]}, as {@link Marginals} takes them). */
  default double[][] window() {
    return Marginals.transpose(box());
  }

  /** The spec as {@link #parse} reads it. */
  String describe();

  /**
   * Parses {@code uniform:LO,HI[,LO,HI...]} or {@code normal:MU,SD[,MU,SD...]} for θ of {@code dimension}
   * values: one pair per component, or a single pair used for every component.
   *
   * @throws InvalidInputException naming the spec and what was expected
   */
  static Prior parse(String spec, int dimension) {
    if (dimension < 1) {
      throw new InvalidInputException("a prior needs at least one parameter, but the model has " + dimension);
    }
    String text = spec == null ? "" : spec.trim();
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String expected = "uniform:LO,HI[,LO,HI...] or normal:MU,SD[,MU,SD...] with one pair for each of the " + dimension
        + " parameters (or one pair for all)";
    if (colon < 0 || !(kind.equals("uniform") || kind.equals("normal"))) {
      throw new InvalidInputException("the prior must be " + expected + ", got '" + text + "'");
    }
    String[] parts = text.substring(colon + 1).split(",", -1);
    double[] v = new double[parts.length];
    for (int i = 0; i < v.length; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException("the prior '" + text + "' holds '" + parts[i].trim() + "', which is not a number");
      }
      if (!Double.isFinite(v[i])) {
        throw new InvalidInputException("the prior '" + text + "' holds the non-finite value " + parts[i].trim());
      }
    }
    if (v.length != 2 && v.length != 2 * dimension) {
      throw new InvalidInputException("the prior '" + text + "' has " + v.length + " numbers; expected " + expected);
    }
    double[] first = new double[dimension];
    double[] second = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      int at = v.length == 2 ? 0 : 2 * j;
      first[j] = v[at];
      second[j] = v[at + 1];
    }
    try {
      return kind.equals("uniform") ? new UniformPrior(first, second) : new NormalPrior(first, second);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("the prior '" + text + "': " + e.getMessage(), e);
    }
  }

  /** "kind:a0,b0,a1,b1,...": a spec of pairs, as {@link #parse} reads it. */
  static String pairs(String kind, double[] a, double[] b) {
    StringBuilder sb = new StringBuilder(kind).append(':');
    for (int j = 0; j < a.length; j++) {
      sb.append(j == 0 ? "" : ",").append(a[j]).append(',').append(b[j]);
    }
    return sb.toString();
  }

  /** Rows shift_j + scale_j v_ij from {@code v} ({@code [n·P]}, row-major). */
  static double[][] affine(double[] v, int n, double[] shift, double[] scale) {
    int p = shift.length;
    double[][] out = new double[n][p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        out[i][j] = shift[j] + scale[j] * v[i * p + j];
      }
    }
    return out;
  }
}
