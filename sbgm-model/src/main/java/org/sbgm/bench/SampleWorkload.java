package org.sbgm.bench;

import org.bytedeco.pytorch.Generator;
import org.sbgm.nn.Network;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Probability-flow sampling with the library's {@link ProbabilityFlow} sampler as the reference's
 * {@code ode-sample-mlp}: n float32 prior draws integrated from t = 1 to 1e-3 by RK4 with 50 equal steps
 * (200 score evaluations); the prior draw is part of the timed work, as in the reference.
 */
final class SampleWorkload extends ModelWorkload {
  private final ScoreModel model;
  private final ProbabilityFlow sampler;
  private final long n;
  private final long dim;
  private final Generator generator;

  SampleWorkload(String name, String note, Network network, long n, long dim, int steps) {
    super(name, note, network);
    this.model = new ScoreModel(network, Sdes.vp());
    this.sampler = new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(steps), 1e-3, 10 * steps,
        DType.FLOAT32, null);
    this.n = n;
    this.dim = dim;
    this.generator = Torch.generator(2);
  }

  @Override
  public void run() {
    sampler.sample(model, n, new long[] {dim}, Condition.NONE, generator);
  }
}
