package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.sde.Sde;

/**
 * A diffusion model: a score s(x, t | condition) together with the forward {@link Sde} it was
 * trained to reverse. Samplers and likelihoods take this one object, never a score and a loose SDE,
 * so the two cannot disagree. {@link ScoreModel} (a network) and {@link GaussianMixtureScore} (the
 * exact oracle) implement it; {@link #of} pairs any score function with an SDE.
 *
 * <p>Optional capability: forward-mode Jacobian-vector products (∂s/∂x) v_k in the same pass as the
 * score ({@link #supportsTangents()}, {@link #scoreWithTangents}); the log-likelihood uses them in
 * place of autograd. A decorator (another device, guidance, progress) extends
 * {@link ForwardingDiffusionModel}, which delegates both, so that wrapping never silently drops the
 * model onto the slower autograd path ({@link OnDevice} is one).
 *
 * <p>The reverse-time dynamics of a model (reverse SDE, probability-flow ODE) are in {@link ReverseTime}.
 */
public interface DiffusionModel extends ScoreFunction {
  /** The forward SDE whose reverse this model's score drives. */
  Sde sde();

  /** Whether {@link #scoreWithTangents} is available in the model's present state. */
  default boolean supportsTangents() {
    return false;
  }

  /**
   * The score s(x, t | condition), as {@link #score}, and (∂s/∂x) v_k for K tangents v_k, computed
   * without autograd whatever the grad mode.
   *
   * @param tangents {@code [K, B, ...]}: K tangents, each shaped like x ({@code [B, ...]})
   * @throws UnsupportedOperationException when {@link #supportsTangents()} is false
   */
  default ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    throw new UnsupportedOperationException(this + " does not compute forward-mode tangents; differentiate "
        + "the score with autograd instead");
  }

  /** {@code score} paired with {@code sde} (no tangents). */
  static DiffusionModel of(ScoreFunction score, Sde sde) {
    if (score == null || sde == null) {
      throw new IllegalArgumentException("a diffusion model needs a score function and an SDE, got "
          + (score == null ? "a null score" : "a null SDE"));
    }
    return new DiffusionModel() {
      @Override
      public Tensor score(Tensor x, Tensor t, Condition condition) {
        return score.score(x, t, condition);
      }

      @Override
      public Sde sde() {
        return sde;
      }

      @Override
      public String toString() {
        return "DiffusionModel(" + score + ", " + sde + ")";
      }
    };
  }
}
