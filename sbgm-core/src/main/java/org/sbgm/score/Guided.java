package org.sbgm.score;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Classifier-free guidance (Ho and Salimans 2022, arXiv 2207.12598, eq. 6 in score form): the score
 * <pre>  s_w(x, t | c) = (1 + w) s(x, t | c) − w s(x, t | ∅)</pre>
 * of a model trained with condition dropout, where ∅ is the dropped condition. For the library's networks
 * (built with {@code conditionDropout > 0}) ∅ is an absent condition, {@link Condition#NONE}: they see it
 * exactly as a dropped sample in training (see {@code org.sbgm.nn}). w = 0 is the conditional model itself
 * (its score is returned unchanged, bit for bit); w &gt; 0 sharpens the conditional towards regions where
 * p(c | x) is large, since s_w = s(x | c) + w ∇ log p(c | x) by Bayes' rule; −1 ≤ w &lt; 0 interpolates
 * towards the unconditional model (w = −1).
 *
 * <p>The forward-mode tangents combine the same way, (∂s_w/∂x) v = (1 + w) (∂s/∂x)(c) v − w (∂s/∂x)(∅) v,
 * so likelihoods of a guided model keep the fast path. The model must accept ∅ (a network trained without
 * condition dropout refuses an absent condition; {@code org.sbgm.model.Model#guided} checks this from the
 * model's description before any sampling starts). A condition that is already empty is guided to itself.
 */
public final class Guided extends ForwardingDiffusionModel {
  private final double weight;

  /** {@code model} guided with weight {@code weight} (finite, at least −1). */
  public Guided(DiffusionModel model, double weight) {
    super(model);
    if (!Double.isFinite(weight) || weight < -1) {
      throw new InvalidInputException("the guidance weight must be a finite number of at least -1 (0: no guidance), got "
          + weight);
    }
    this.weight = weight;
  }

  /** w. */
  public double weight() {
    return weight;
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    if (weight == 0 || condition == null || condition.isEmpty()) {
      return delegate().score(x, t, condition);
    }
    Tensor conditional = delegate().score(x, t, condition);
    Tensor unconditional = delegate().score(x, t, Condition.NONE);
    return combine(conditional, unconditional);
  }

  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    if (weight == 0 || condition == null || condition.isEmpty()) {
      return delegate().scoreWithTangents(x, t, condition, tangents);
    }
    ScoreTangents conditional = delegate().scoreWithTangents(x, t, condition, tangents);
    ScoreTangents unconditional = delegate().scoreWithTangents(x, t, Condition.NONE, tangents);
    return new ScoreTangents(combine(conditional.score(), unconditional.score()),
        combine(conditional.jvp(), unconditional.jvp()));
  }

  /** (1 + w) a − w b. */
  private Tensor combine(Tensor conditional, Tensor unconditional) {
    Scalar w = Torch.scalar(weight);
    return conditional.mul(Torch.scalar(1 + weight)).sub(unconditional.mul(w));
  }

  @Override
  public String toString() {
    return "Guided(" + delegate() + ", w=" + weight + ")";
  }
}
