package org.sbgm.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Samplers record no autograd graph: with a network whose parameters require gradients, the samples
 * are plain tensors (before this, a 200-evaluation probability-flow run of the reference MLP held every
 * activation through the returned graph, 5 GB), and the caller's grad mode is restored afterwards.
 */
class NoGradSamplingTest {
  @Test
  void samplesCarryNoGraphAndGradModeIsRestored() {
    ScoreModel model = new ScoreModel(
        new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 1.0), 0).create(0), new VpSde());
    List<Sampler> samplers = List.of(new EulerMaruyama(5).withDType(DType.FLOAT32),
        new PredictorCorrector(5).withDType(DType.FLOAT32), new StochasticHeun(5).withDType(DType.FLOAT32),
        new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(5), 1e-3, 100, DType.FLOAT32, null));
    assertTrue(model.network().module().parameters().get(0).requires_grad());
    for (Sampler s : samplers) {
      try (PointerScope scope = new PointerScope()) {
        assertTrue(GradMode.is_enabled());
        Tensor x = s.sample(model, 8, new long[] {2}, Condition.NONE, Torch.generator(1)).x();
        assertFalse(x.requires_grad(), s.getClass().getSimpleName() + " returned samples with a graph");
        assertEquals(8, x.size(0));
        assertTrue(GradMode.is_enabled(), s.getClass().getSimpleName() + " left grad mode off");
      }
    }
  }
}
