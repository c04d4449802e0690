package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.nn.Network;
import org.sbgm.nn.TangentNetwork;
import org.sbgm.nn.Tangents;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * A learned score s_θ(x, t | π, y): a {@link Network} F_θ, the forward {@link Sde} whose marginal std
 * σ(t) scales it, and the {@link Parameterisation} of F:
 * <ul>
 *   <li>EPSILON: ε̂ = F, s = -F / σ(t);
 *   <li>SCORE: s = F, ε̂ = -σ(t) F.
 * </ul>
 * The condition's parameters π and image y are passed to the network unchanged (the network rejects a
 * condition it was not built for, or a missing one it needs). Grad mode is never changed here: callers
 * that differentiate (training, the exact divergence) enable it, samplers disable it.
 *
 * <p>A {@link DiffusionModel}: the SDE it holds is the one samplers reverse and likelihoods integrate.
 * When the network is a {@link TangentNetwork}, {@link #scoreWithTangents} gives (∂s/∂x) v_k in forward
 * mode: s = c(t) F with c = -1/σ(t) (EPSILON) or 1 (SCORE) does not depend on x, so (∂s/∂x) v = c(t) (∂F/∂x) v.
 */
public final class ScoreModel implements DiffusionModel {
  private final Network network;
  private final Sde sde;
  private final Parameterisation parameterisation;

  /** A score model with the given parameterisation. */
  public ScoreModel(Network network, Sde sde, Parameterisation parameterisation) {
    if (network == null || sde == null || parameterisation == null) {
      throw new IllegalArgumentException("ScoreModel needs a network, an SDE and a parameterisation, got "
          + (network == null ? "network = null" : sde == null ? "sde = null" : "parameterisation = null"));
    }
    this.network = network;
    this.sde = sde;
    this.parameterisation = parameterisation;
  }

  /** A score model whose network predicts the noise ε ({@link Parameterisation#EPSILON}). */
  public ScoreModel(Network network, Sde sde) {
    this(network, sde, Parameterisation.EPSILON);
  }

  /** The network F_θ. */
  public Network network() {
    return network;
  }

  /** The forward SDE. */
  @Override
  public Sde sde() {
    return sde;
  }

  /** What the network's output means. */
  public Parameterisation parameterisation() {
    return parameterisation;
  }

  /** The raw network output F_θ(x, t, π, y), shaped like x. */
  public Tensor output(Tensor x, Tensor t, Condition condition) {
    Condition c = condition == null ? Condition.NONE : condition;
    return network.forward(x, t, c.parameters(), c.image());
  }

  /** The predicted noise ε̂: F for EPSILON, -σ(t) F for SCORE. */
  public Tensor epsilon(Tensor x, Tensor t, Condition condition) {
    Tensor f = output(x, t, condition);
    return parameterisation == Parameterisation.EPSILON ? f : f.mul(sigma(t, x)).neg();
  }

  /** The score: -F/σ(t) for EPSILON, F for SCORE. */
  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Tensor f = output(x, t, condition);
    return parameterisation == Parameterisation.SCORE ? f : f.div(sigma(t, x)).neg();
  }

  /** True when the network is a {@link TangentNetwork} that can give tangents in its present state. */
  @Override
  public boolean supportsTangents() {
    return network instanceof TangentNetwork tn && tn.tangentsAvailable();
  }

  /** The score and (∂s/∂x) v_k = c(t) (∂F/∂x) v_k; see {@link DiffusionModel#scoreWithTangents}. */
  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    if (!(network instanceof TangentNetwork tn)) {
      throw new UnsupportedOperationException("the network " + network.getClass().getSimpleName()
          + " does not compute tangents (it is not a TangentNetwork); differentiate the score with autograd instead");
    }
    Condition c = condition == null ? Condition.NONE : condition;
    Tangents f = tn.forwardWithTangents(x, t, c.parameters(), c.image(), tangents);
    if (parameterisation == Parameterisation.SCORE) {
      return new ScoreTangents(f.output(), f.jvp());
    }
    // σ shaped [B, 1, ..., 1] broadcasts against both x [B, ...] and the tangents [K, B, ...]
    Tensor sigma = sigma(t, x);
    return new ScoreTangents(f.output().div(sigma).neg(), f.jvp().div(sigma).neg());
  }

  /** σ(t) shaped to broadcast against x; computed once when the batch shares one time. */
  private Tensor sigma(Tensor t, Tensor x) {
    return Torch.perSample(sde.marginalStd(Torch.isSharedTime(t) ? t.narrow(0, 0, 1) : t), x.dim());
  }
}
