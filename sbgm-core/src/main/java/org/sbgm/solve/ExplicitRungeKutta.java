package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * An explicit Runge–Kutta solver defined by a {@link ButcherTableau}. It knows nothing of step-size
 * control, saving or the integration interval: {@link #step} advances one step of a given (signed)
 * size and reports the error estimate; {@link Integrator} decides what to do with it.
 *
 * <p>One step from (t, y) with size h: k_i = F(t + c_i h, y + h Σ_{j<i} a_ij k_j),
 * y₁ = y + h Σ b_i k_i, error e = h Σ bError_i k_i (when the tableau has one). The first stage
 * k₁ = F(t, y) may be supplied (it is reused after a rejected step and, for FSAL methods, taken from
 * the previous step's last stage), so an s-stage FSAL method costs s − 1 evaluations per step.
 *
 * <p>Stateless and immutable: one instance may serve many integrations and threads.
 */
public final class ExplicitRungeKutta {
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

  /**
   * The result of one step; tensors belong to the scope that was open during the step.
   *
   * @param y the candidate state y₁ at t + h
   * @param error the local error estimate y₁ − ŷ₁, or null when the tableau has none
   * @param firstStage the k₁ = F(t, y) used (reusable if the step is rejected)
   * @param lastStage F(t + h, y₁) when the tableau is FSAL (the next step's k₁), else null
   */
  public record Step(Tensor y, Tensor error, Tensor firstStage, Tensor lastStage) {}

  /**
   * Advances one step of signed size {@code h} from ({@code t}, {@code y}).
   *
   * @param f the vector field
   * @param t the start time
   * @param y the state at {@code t}, any shape
   * @param h the signed step (negative integrates backwards)
   * @param firstStage F(t, y) if already known, else null (then it is evaluated)
   * @return the candidate state, error estimate and reusable stages
   */
  public Step step(VectorField f, double t, Tensor y, double h, Tensor firstStage) {
    int s = tableau.stages();
    Tensor[] k = new Tensor[s];
    k[0] = firstStage != null ? firstStage : f.at(t, y);
    for (int i = 1; i < s; i++) {
      Tensor yi = y;
      for (int j = 0; j < i; j++) {
        double aij = tableau.aRaw(i, j);
        if (aij != 0) {
          yi = yi.add(k[j], Torch.scalar(h * aij));
        }
      }
      k[i] = f.at(t + tableau.cRaw(i) * h, yi);
      if (tableau.fsal() && i == s - 1) {
        // The last stage was evaluated at y + h Σ b_j k_j = y₁ itself.
        return new Step(yi, error(k, h), k[0], k[i]);
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
    return new Step(y1, error(k, h), k[0], null);
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
    return "ExplicitRungeKutta[" + tableau.name() + "]";
  }
}
