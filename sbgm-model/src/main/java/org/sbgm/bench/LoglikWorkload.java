package org.sbgm.bench;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.nn.Network;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.Torch;

/**
 * Log-likelihoods with the library's {@link LogLikelihood} as the reference's {@code loglik-*-mlp}: the
 * augmented probability-flow ODE from t = 1e-5 to 1 by RK4 with 50 equal steps, with the exact divergence
 * (D vector-Jacobian products) or Hutchinson's estimate with one Rademacher probe.
 */
final class LoglikWorkload extends ModelWorkload {
  private final ScoreModel model;
  private final LogLikelihood likelihood;
  private final Tensor x;
  private final Generator generator;

  LoglikWorkload(String name, String note, Network network, Tensor x, Divergence divergence, int steps) {
    super(name, note, network);
    this.model = new ScoreModel(network, Sdes.vp());
    this.likelihood = LogLikelihood.builder().divergence(divergence).solver(ExplicitRungeKutta.rk4())
        .controller(ConstantStep.steps(steps)).epsilon(1e-5).build();
    this.x = Torch.retain(x);
    this.generator = Torch.generator(3);
  }

  @Override
  public void run() {
    likelihood.evaluate(model, x, Condition.NONE, generator);
  }

  @Override
  public void close() {
    x.releaseReference();
  }
}
