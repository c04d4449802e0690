package org.sbgm.score;

import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.nn.Network;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * A learned score: a backbone {@link Network}, the forward {@link Sde} it was trained under and the
 * {@link Parameterisation} of its output. With ε-prediction, s_θ(x, t) = -ε̂_θ(x, t) / σ(t).
 *
 * <p>It never changes grad mode: samplers disable it, the exact divergence enables it.
 */
public final class ScoreModel implements ScoreFunction {
  private final Network network;
  private final Sde sde;
  private final Parameterisation parameterisation;

  public ScoreModel(Network network, Sde sde, Parameterisation parameterisation) {
    this.network = Objects.requireNonNull(network, "network");
    this.sde = Objects.requireNonNull(sde, "sde");
    this.parameterisation = Objects.requireNonNull(parameterisation, "parameterisation");
  }

  /** An ε-prediction model, the default. */
  public ScoreModel(Network network, Sde sde) {
    this(network, sde, Parameterisation.EPSILON);
  }

  public Network network() {
    return network;
  }

  public Sde sde() {
    return sde;
  }

  public Parameterisation parameterisation() {
    return parameterisation;
  }

  /** The network's raw output at (x, t) under {@code condition}. */
  public Tensor output(Tensor x, Tensor t, Condition condition) {
    Condition c = condition == null ? Condition.NONE : condition;
    return network.forward(x, t, c.parameters(), c.image());
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Tensor out = output(x, t, condition);
    if (parameterisation == Parameterisation.SCORE) {
      return out;
    }
    Tensor sigma = Torch.perSample(sde.marginalStd(t), x.dim());
    return out.div(sigma).neg();
  }
}
