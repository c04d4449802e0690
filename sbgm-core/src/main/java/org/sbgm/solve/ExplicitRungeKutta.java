package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * An explicit Runge–Kutta solver defined by a {@link ButcherTableau}. One step from (t0, y) to t1 with
 * h = t1 − t0: k_i = F(t0 + c_i h, y + h Σ_{j<i} a_ij k_j), y₁ = y + h Σ b_i k_i and, when the tableau
 * has one, the error estimate e = h Σ (b_i − b̂_i) k_i (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>,
 * II.1 and II.4). The first stage k₁ = F(t0, y) may be supplied (the loop reuses it after a rejected
 * step and, for FSAL methods, takes it from the previous step's last stage), so an s-stage FSAL method
 * costs s − 1 evaluations per step.
 */
public final class ExplicitRungeKutta implements Solver<VectorField> {
  private final ButcherTableau tableau;

  /** A solver for {@code tableau}. */
  public ExplicitRungeKutta(ButcherTableau tableau) {
    if (tableau == null) {
      throw new IllegalArgumentException("A Runge-Kutta solver needs a tableau, got null.");
    }
    this.tableau = tableau;
  }

  /** Forward Euler, order 1. */
  public static ExplicitRungeKutta euler() {
    return new ExplicitRungeKutta(ButcherTableau.EULER);
  }

  /** Heun, order 2 with embedded Euler. */
  public static ExplicitRungeKutta heun() {
    return new ExplicitRungeKutta(ButcherTableau.HEUN);
  }

  /** Explicit midpoint, order 2. */
  public static ExplicitRungeKutta midpoint() {
    return new ExplicitRungeKutta(ButcherTableau.MIDPOINT);
  }

  /** Classical RK4, order 4. */
  public static ExplicitRungeKutta rk4() {
    return new ExplicitRungeKutta(ButcherTableau.RK4);
  }

  /** Bogacki–Shampine 3(2), FSAL. */
  public static ExplicitRungeKutta bosh3() {
    return new ExplicitRungeKutta(ButcherTableau.BOSH3);
  }

  /** Dormand–Prince 5(4), FSAL. */
  public static ExplicitRungeKutta dopri5() {
    return new ExplicitRungeKutta(ButcherTableau.DOPRI5);
  }

  /** Tsitouras 5(4), FSAL. */
  public static ExplicitRungeKutta tsit5() {
    return new ExplicitRungeKutta(ButcherTableau.TSIT5);
  }

  /** The tableau. */
  public ButcherTableau tableau() {
    return tableau;
  }

  /** The order of the propagated solution. */
  public int order() {
    return tableau.order();
  }

  @Override
  public boolean usesFirstStage() {
    return true;
  }

  @Override
  public boolean hasErrorEstimate() {
    return tableau.hasErrorEstimate();
  }

  @Override
  public int errorOrder() {
    return tableau.hasErrorEstimate() ? tableau.errorOrder() : tableau.order() + 1;
  }

  @Override
  public Step step(VectorField f, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    double h = t1 - t0;
    int s = tableau.stages();
    Tensor[] k = new Tensor[s];
    int evaluations = s - 1;
    if (firstStage != null) {
      k[0] = firstStage;
    } else {
      k[0] = f.at(t0, y);
      evaluations++;
    }
    for (int i = 1; i < s; i++) {
      Tensor yi = y;
      for (int j = 0; j < i; j++) {
        double aij = tableau.aRaw(i, j);
        if (aij != 0) {
          yi = yi.add(k[j], Torch.scalar(h * aij));
        }
      }
      k[i] = f.at(t0 + tableau.cRaw(i) * h, yi);
      if (tableau.fsal() && i == s - 1) {
        // The last stage was evaluated at y + h Σ b_j k_j = y₁ itself.
        return new Step(yi, error(k, h), k[0], k[i], evaluations);
      }
    }
    Tensor y1 = y;
    for (int i = 0; i < s; i++) {
      double bi = tableau.bRaw(i);
      if (bi != 0) {
        y1 = y1.add(k[i], Torch.scalar(h * bi));
      }
    }
    if (y1 == y) {
      y1 = y.clone();
    }
    return new Step(y1, error(k, h), k[0], null, evaluations);
  }

  private Tensor error(Tensor[] k, double h) {
    if (!tableau.hasErrorEstimate()) {
      return null;
    }
    Tensor e = null;
    for (int i = 0; i < k.length; i++) {
      double ei = tableau.bErrorRaw(i);
      if (ei != 0) {
        e = e == null ? k[i].mul(Torch.scalar(h * ei)) : e.add(k[i], Torch.scalar(h * ei));
      }
    }
    return e;
  }

  @Override
  public String toString() {
    return tableau.name();
  }
}
