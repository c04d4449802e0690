package org.sbgm.sde;

import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.Torch;

/**
 * Factories for the three SDEs and the reverse-time dynamics of any {@link Sde} given a score s:
 * the reverse SDE dx = [f - g² s] dt + g dw̄ and the probability-flow ODE dx/dt = f - ½ g² s
 * (Song et al. 2021, arXiv:2011.13456, eqs. 6 and 13).
 */
public final class Sdes {
  private Sdes() {}

  /** VP with β linear 0.1 → 20 on [0, 1]. */
  public static VpSde vp() {
    return new VpSde();
  }

  /** sub-VP with β linear 0.1 → 20 on [0, 1]. */
  public static SubVpSde subVp() {
    return new SubVpSde();
  }

  /** VE with the geometric schedule σ_min → σ_max on [0, 1]. */
  public static VeSde ve(double sigmaMin, double sigmaMax) {
    return new VeSde(sigmaMin, sigmaMax);
  }

  /**
   * The SDE named {@code vp}, {@code subvp} (also {@code sub-vp}, {@code sub_vp}) or {@code ve}, with
   * default hyper-parameters (VE: σ_min = 0.01, σ_max = 50).
   */
  public static Sde parse(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    switch (key) {
      case "vp":
        return vp();
      case "subvp":
        return subVp();
      case "ve":
        return new VeSde();
      default:
        throw new IllegalArgumentException("the SDE must be one of vp, subvp or ve, got '" + name + "'");
    }
  }

  /**
   * Reverse-SDE drift f(x, t) - g(t)² s(x, t) at one time for the batch (the score sees t as [B], a
   * broadcast view of the one time, see {@link Torch#sharedTime}).
   */
  public static Tensor reverseDrift(Sde sde, ScoreFunction score, Tensor x, double t, Condition condition) {
    return combine(sde, score, x, t, condition, 1.0);
  }

  /** Probability-flow drift f(x, t) - ½ g(t)² s(x, t) at one time for the batch. */
  public static Tensor probabilityFlowDrift(Sde sde, ScoreFunction score, Tensor x, double t, Condition condition) {
    return combine(sde, score, x, t, condition, 0.5);
  }

  /** Reverse-SDE drift f - g² s with a time per sample ({@code t} is {@code [B]}). */
  public static Tensor reverseDrift(Sde sde, ScoreFunction score, Tensor x, Tensor t, Condition condition) {
    return combine(sde, score, x, t, condition, 1.0);
  }

  /** Probability-flow drift f - ½ g² s with a time per sample ({@code t} is {@code [B]}). */
  public static Tensor probabilityFlowDrift(Sde sde, ScoreFunction score, Tensor x, Tensor t, Condition condition) {
    return combine(sde, score, x, t, condition, 0.5);
  }

  /** The probability-flow ODE dx/dt = f(x, t) - ½ g(t)² s(x, t | condition) as a vector field. */
  public static VectorField probabilityFlow(Sde sde, ScoreFunction score, Condition condition) {
    require(sde, score);
    Condition c = condition == null ? Condition.NONE : condition;
    return (t, y) -> combine(sde, score, y, t, c, 0.5);
  }

  private static Tensor combine(Sde sde, ScoreFunction score, Tensor x, double t, Condition condition, double factor) {
    require(sde, score);
    double g = sde.diffusion(t);
    Tensor times = Torch.sharedTime(x.size(0), t, x);
    Tensor s = score.score(x, times, condition == null ? Condition.NONE : condition);
    return sde.drift(x, t).sub(s.mul(Torch.scalar(factor * g * g)));
  }

  private static Tensor combine(Sde sde, ScoreFunction score, Tensor x, Tensor t, Condition condition, double factor) {
    require(sde, score);
    Tensor g = sde.diffusion(t);
    Tensor s = score.score(x, t, condition == null ? Condition.NONE : condition);
    Tensor weight = Schedules.perSample(g.square().mul(Torch.scalar(factor)), x);
    return sde.drift(x, t).sub(s.mul(weight));
  }

  private static void require(Sde sde, ScoreFunction score) {
    if (sde == null || score == null) {
      throw new IllegalArgumentException("the reverse-time dynamics need both an SDE and a score function, got "
          + (sde == null ? "a null SDE" : "a null score"));
    }
  }
}
