package org.sbgm.score;

import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.sde.Sde;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.Torch;

/**
 * The reverse-time dynamics of a {@link DiffusionModel} with forward SDE dx = f(x, t) dt + g(t) dw and
 * score s(x, t) ≈ ∇ₓ log p_t(x) (Song et al. 2021, "Score-Based Generative Modeling through Stochastic
 * Differential Equations", arXiv 2011.13456, eqs. 6 and 13):
 * <ul>
 *   <li>the reverse SDE dx = [f(x, t) − g(t)² s(x, t)] dt + g(t) dw̄, run from T down to ε;
 *   <li>the probability-flow ODE dx/dt = f(x, t) − ½ g(t)² s(x, t), which has the same marginals p_t.
 * </ul>
 * The scalar-time forms give the score t as {@code [B]}, a broadcast view of the one time
 * ({@link Torch#sharedTime}); the tensor forms take a time per sample.
 */
public final class ReverseTime {
  private ReverseTime() {}

  /** The reverse-SDE drift f(x, t) − g(t)² s(x, t) at one time for the batch. */
  public static Tensor reverseDrift(DiffusionModel model, Tensor x, double t, Condition condition) {
    return combine(model, x, t, condition, 1.0);
  }

  /** The probability-flow drift f(x, t) − ½ g(t)² s(x, t) at one time for the batch. */
  public static Tensor probabilityFlowDrift(DiffusionModel model, Tensor x, double t, Condition condition) {
    return combine(model, x, t, condition, 0.5);
  }

  /** The reverse-SDE drift f − g² s with a time per sample ({@code t} is {@code [B]}). */
  public static Tensor reverseDrift(DiffusionModel model, Tensor x, Tensor t, Condition condition) {
    return combine(model, x, t, condition, 1.0);
  }

  /** The probability-flow drift f − ½ g² s with a time per sample ({@code t} is {@code [B]}). */
  public static Tensor probabilityFlowDrift(DiffusionModel model, Tensor x, Tensor t, Condition condition) {
    return combine(model, x, t, condition, 0.5);
  }

  /** The probability-flow ODE dx/dt = f(x, t) − ½ g(t)² s(x, t | condition) as a vector field. */
  public static VectorField probabilityFlow(DiffusionModel model, Condition condition) {
    Objects.requireNonNull(model, "the probability-flow ODE needs a diffusion model");
    Condition c = orNone(condition);
    return (t, y) -> combine(model, y, t, c, 0.5);
  }

  /**
   * The reverse SDE dx = [f − g² s] dt + g(t) dw̄ as a field for the SDE solvers: drift f − g² s,
   * diffusion g(t) (a 0-dimensional tensor, additive noise), for Langevin correctors the score s and
   * the mean coefficient m(t) of the forward kernel, and for the data-prediction solvers (DDIM,
   * DPM-Solver++, EDM) σ(t) and x̂₀ = (x + σ² s)/m.
   */
  public static DenoiserField reverseSde(DiffusionModel model, Condition condition) {
    Objects.requireNonNull(model, "the reverse SDE needs a diffusion model");
    Condition c = orNone(condition);
    Sde sde = model.sde();
    return new DenoiserField() {
      @Override
      public Tensor at(double t, Tensor y) {
        return combine(model, y, t, c, 1.0);
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return Torch.full(new long[0], sde.diffusion(t), y);
      }

      @Override
      public Tensor score(double t, Tensor y) {
        return model.score(y, Torch.sharedTime(y.size(0), t, y), c);
      }

      @Override
      public double meanCoefficient(double t) {
        return sde.meanCoefficient(t);
      }

      @Override
      public double marginalStd(double t) {
        return sde.marginalStd(t);
      }
    };
  }

  private static Tensor combine(DiffusionModel model, Tensor x, double t, Condition condition, double factor) {
    Sde sde = model.sde();
    double g = sde.diffusion(t);
    Tensor times = Torch.sharedTime(x.size(0), t, x);
    Tensor s = model.score(x, times, orNone(condition));
    return sde.drift(x, t).sub(s.mul(Torch.scalar(factor * g * g)));
  }

  private static Tensor combine(DiffusionModel model, Tensor x, Tensor t, Condition condition, double factor) {
    Sde sde = model.sde();
    Tensor g = sde.diffusion(t);
    Tensor s = model.score(x, t, orNone(condition));
    Tensor weight = Torch.perSample(g.square().mul(Torch.scalar(factor)), x.dim()).to(x.device(), x.scalar_type());
    return sde.drift(x, t).sub(s.mul(weight));
  }

  private static Condition orNone(Condition c) {
    return c == null ? Condition.NONE : c;
  }
}
