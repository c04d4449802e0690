package org.sbgm.train;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.nn.Network;
import org.sbgm.score.Parameterisation;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * A parameter-free network returning what the exact score of data N(0, s² I) implies under {@code sde}:
 * p_t = N(0, v I) with v = m² s² + σ², s* = -x/v; ε-prediction returns ε̂ = -σ s* = σ x / v.
 * {@code scale} multiplies the output (1 = exact; anything else is a deliberately wrong score).
 */
final class ExactGaussianNetwork extends Module implements Network {
  private final Sde sde;
  private final double dataStd;
  private final Parameterisation parameterisation;
  private final double scale;

  ExactGaussianNetwork(Sde sde, double dataStd, Parameterisation parameterisation, double scale) {
    this.sde = sde;
    this.dataStd = dataStd;
    this.parameterisation = parameterisation;
    this.scale = scale;
  }

  @Override
  public Module module() {
    return this;
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Tensor m = sde.meanCoefficient(t);
    Tensor sigma = sde.marginalStd(t);
    Tensor v = m.square().mul(Torch.scalar(dataStd * dataStd)).add(sigma.square());
    Tensor score = x.div(Torch.perSample(v, x.dim())).neg();
    Tensor out = parameterisation == Parameterisation.SCORE ? score : score.mul(Torch.perSample(sigma, x.dim())).neg();
    return out.mul(Torch.scalar(scale));
  }
}
