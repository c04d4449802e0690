package org.sbgm.solve;

import java.util.Arrays;
import org.sbgm.InvalidInputException;

/**
 * The coefficients of an explicit Runge–Kutta method, validated at construction.
 *
 * <p>For an s-stage method with nodes c, strictly lower-triangular matrix a and weights b, a step of
 * size h from (t, y) computes k_i = F(t + c_i h, y + h Σ_{j<i} a_ij k_j) and y₁ = y + h Σ_i b_i k_i. An
 * embedded pair also has weights b̂ of a lower order p̂; this class stores {@code bError} = b − b̂, so
 * that the local error estimate is e = h Σ_i bError_i k_i = y₁ − ŷ₁, of size O(h^{min(p, p̂)+1}).
 *
 * <p>"First same as last" (FSAL): the last stage is evaluated at (t + h, y₁) (c_s = 1, a_s = b,
 * b_s = 0), so it equals the first stage of the next step and is reused.
 *
 * <p>Validation (absolute tolerance 1e-12): c₁ = 0, Σ_j a_ij = c_i for every row, Σ b = 1,
 * Σ bError = 0, and the FSAL structure when flagged. Row i of {@code a} holds exactly i entries.
 */
public final class ButcherTableau {
  private static final double TOL = 1e-12;

  /** Forward Euler, order 1. */
  public static final ButcherTableau EULER =
      new ButcherTableau("Euler", new double[] {0}, new double[][] {{}}, new double[] {1}, null, 1, 0, false);

  /** Heun's method (explicit trapezoid), order 2, with embedded Euler (order 1) for error control. */
  public static final ButcherTableau HEUN = new ButcherTableau("Heun", new double[] {0, 1},
      new double[][] {{}, {1}}, new double[] {0.5, 0.5}, new double[] {-0.5, 0.5}, 2, 1, false);

  /** The explicit midpoint method, order 2, no error estimate. */
  public static final ButcherTableau MIDPOINT = new ButcherTableau("Midpoint", new double[] {0, 0.5},
      new double[][] {{}, {0.5}}, new double[] {0, 1}, null, 2, 0, false);

  /** The classical fourth-order Runge–Kutta method, no error estimate. */
  public static final ButcherTableau RK4 = new ButcherTableau("RK4", new double[] {0, 0.5, 0.5, 1},
      new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
      new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, null, 4, 0, false);

  /** Bogacki–Shampine 3(2), FSAL (Bogacki and Shampine 1989). */
  public static final ButcherTableau BOSH3 = new ButcherTableau("Bosh3", new double[] {0, 0.5, 0.75, 1},
      new double[][] {{}, {0.5}, {0, 0.75}, {2.0 / 9, 1.0 / 3, 4.0 / 9}},
      new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
      new double[] {2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8}, 3, 2, true);

  /** Dormand–Prince 5(4), FSAL (Dormand and Prince 1980), the method of Hairer's DOPRI5. */
  public static final ButcherTableau DOPRI5 = new ButcherTableau("Dopri5",
      new double[] {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1},
      new double[][] {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}},
      new double[] {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
      new double[] {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40},
      5, 4, true);

  /** Tsitouras 5(4), FSAL (Ch. Tsitouras, Comput. Math. Appl. 62 (2011) 770–775); see {@link Tsit5Coefficients}. */
  public static final ButcherTableau TSIT5 = new ButcherTableau("Tsit5", Tsit5Coefficients.C,
      Tsit5Coefficients.A, Tsit5Coefficients.B, Tsit5Coefficients.B_ERROR, 5, 4, true);

  private final String name;
  private final double[] c;
  private final double[][] a;
  private final double[] b;
  private final double[] bError;
  private final int order;
  private final int embeddedOrder;
  private final boolean fsal;

  /**
   * A validated tableau.
   *
   * @param name a label for messages
   * @param c nodes, c[0] = 0
   * @param a strictly lower-triangular coefficients: row i holds the i entries a_i0 .. a_i(i-1)
   * @param b weights of the propagated solution
   * @param bError b − b̂ for the embedded error estimate, or null when the method has none
   * @param order the order p of the propagated solution
   * @param embeddedOrder the order p̂ of the embedded method (0 when {@code bError} is null)
   * @param fsal whether the last stage is F(t + h, y₁) and is reused as the next step's first stage
   */
  public ButcherTableau(String name, double[] c, double[][] a, double[] b, double[] bError, int order,
      int embeddedOrder, boolean fsal) {
    if (c == null || a == null || b == null) {
      throw new InvalidInputException("Tableau '" + name + "' needs non-null c, a and b.");
    }
    int s = c.length;
    if (s < 1 || a.length != s || b.length != s) {
      throw new InvalidInputException("Tableau '" + name + "' has " + s + " nodes c, " + a.length
          + " rows of a and " + b.length + " weights b; all three must equal the (positive) number of stages.");
    }
    if (c[0] != 0) {
      throw new InvalidInputException("Tableau '" + name + "' has c[0] = " + c[0] + "; an explicit method needs c[0] = 0.");
    }
    for (int i = 0; i < s; i++) {
      if (a[i] == null || a[i].length != i) {
        throw new InvalidInputException("Tableau '" + name + "' row " + i + " of a has "
            + (a[i] == null ? "no" : a[i].length) + " entries; an explicit tableau needs exactly " + i + ".");
      }
      double rowSum = sum(a[i]);
      if (Math.abs(rowSum - c[i]) > TOL) {
        throw new InvalidInputException("Tableau '" + name + "' row " + i + " of a sums to " + rowSum
            + " but c[" + i + "] = " + c[i] + "; each row must sum to its node (within 1e-12).");
      }
    }
    double bSum = sum(b);
    if (Math.abs(bSum - 1) > TOL) {
      throw new InvalidInputException("Tableau '" + name + "' weights b sum to " + bSum + "; they must sum to 1 (within 1e-12).");
    }
    if (order < 1) {
      throw new InvalidInputException("Tableau '" + name + "' has order " + order + "; it must be at least 1.");
    }
    if (bError != null) {
      if (bError.length != s) {
        throw new InvalidInputException("Tableau '" + name + "' has " + bError.length + " error weights for " + s + " stages.");
      }
      double eSum = sum(bError);
      if (Math.abs(eSum) > TOL) {
        throw new InvalidInputException("Tableau '" + name + "' error weights b - b̂ sum to " + eSum + "; they must sum to 0 (within 1e-12).");
      }
      if (embeddedOrder < 1) {
        throw new InvalidInputException("Tableau '" + name + "' has error weights but embedded order " + embeddedOrder + "; it must be at least 1.");
      }
    } else if (embeddedOrder != 0) {
      throw new InvalidInputException("Tableau '" + name + "' has embedded order " + embeddedOrder + " but no error weights; use 0.");
    }
    if (fsal) {
      boolean ok = s >= 2 && c[s - 1] == 1 && b[s - 1] == 0;
      for (int j = 0; ok && j < s - 1; j++) {
        ok = Math.abs(a[s - 1][j] - b[j]) <= TOL;
      }
      if (!ok) {
        throw new InvalidInputException("Tableau '" + name + "' is flagged FSAL but its last stage is not F(t + h, y1): "
            + "it needs c[s-1] = 1, last row of a equal to b, and b[s-1] = 0.");
      }
    }
    this.name = name;
    this.c = c.clone();
    this.a = new double[s][];
    for (int i = 0; i < s; i++) {
      this.a[i] = a[i].clone();
    }
    this.b = b.clone();
    this.bError = bError == null ? null : bError.clone();
    this.order = order;
    this.embeddedOrder = embeddedOrder;
    this.fsal = fsal;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /** The label used in messages. */
  public String name() {
    return name;
  }

  /** The number of stages s. */
  public int stages() {
    return c.length;
  }

  /** The nodes c (a copy). */
  public double[] c() {
    return c.clone();
  }

  /** Row i of a (a copy, i entries). */
  public double[] a(int i) {
    return a[i].clone();
  }

  /** The solution weights b (a copy). */
  public double[] b() {
    return b.clone();
  }

  /** The error weights b − b̂ (a copy), or null when the method has no embedded estimate. */
  public double[] bError() {
    return bError == null ? null : bError.clone();
  }

  /** True when the method carries an embedded error estimate. */
  public boolean hasErrorEstimate() {
    return bError != null;
  }

  /** The order p of the propagated solution. */
  public int order() {
    return order;
  }

  /** The order p̂ of the embedded method, 0 when there is none. */
  public int embeddedOrder() {
    return embeddedOrder;
  }

  /** The power of h in the local error estimate: min(p, p̂) + 1. */
  public int errorOrder() {
    return Math.min(order, embeddedOrder) + 1;
  }

  /** Whether the last stage is reused as the next step's first. */
  public boolean fsal() {
    return fsal;
  }

  // Package-private views without copies, for the stepping loop.
  double cRaw(int i) {
    return c[i];
  }

  double aRaw(int i, int j) {
    return a[i][j];
  }

  double bRaw(int i) {
    return b[i];
  }

  double bErrorRaw(int i) {
    return bError[i];
  }

  @Override
  public String toString() {
    return "ButcherTableau[" + name + ", stages=" + c.length + ", order=" + order
        + (bError == null ? "" : "(" + embeddedOrder + ")") + (fsal ? ", FSAL" : "") + ", c=" + Arrays.toString(c) + "]";
  }
}
