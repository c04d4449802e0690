package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.CallCounter;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The decorator that shows a sampler's prior draw keeps the model's forward-mode tangents and its numbers. */
class PriorTapTest {
  @Test
  void theTapKeepsTangentsAndSeesOnlyTheFirstState() {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      var net = new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), 0).create(3);
      net.to(DType.FLOAT64.scalarType(), false);
      ScoreModel model = new ScoreModel(net, new VpSde());
      CallCounter spy = new CallCounter(model);
      List<double[]> seen = new ArrayList<>();
      DiffusionModel tapped = new PriorTap(spy, x -> seen.add(Torch.toDoubles(x)));
      assertTrue(tapped.supportsTangents());
      LogLikelihood ll = LogLikelihood.builder().divergence(Divergence.exact()).solver(ExplicitRungeKutta.rk4())
          .controller(ConstantStep.steps(6)).epsilon(1e-3).build();
      Tensor x = Torch.randn(new long[] {5, 2}, Torch.generator(2), Torch.options(DType.FLOAT64));
      LikelihoodResult direct = ll.evaluate(model, x, Condition.NONE, null);
      LikelihoodResult through = ll.evaluate(tapped, x, Condition.NONE, null);
      assertEquals(0, spy.scores);
      assertEquals(through.nfe(), spy.tangents);
      assertArrayEquals(direct.nats(), through.nats(), 0.0);
      // a sampler's score calls: the tap hands over the first state only
      Tensor y = Torch.randn(new long[] {5, 2}, Torch.generator(3), Torch.options(DType.FLOAT64));
      Tensor t = Torch.full(new long[] {5}, 1.0, y);
      tapped.score(y, t, Condition.NONE);
      tapped.score(y.mul(Torch.scalar(2)), t, Condition.NONE);
      assertEquals(1, seen.size());
      assertArrayEquals(Torch.toDoubles(y), seen.get(0), 0.0);
    }
  }
}
