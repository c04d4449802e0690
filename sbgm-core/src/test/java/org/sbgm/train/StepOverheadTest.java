package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.data.TensorDataset;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;

/**
 * The cheap paths of the training step give the answers of the exact ones: the gradient finiteness
 * check without clipping, and the deferred copies of an EMA of rate 0.
 */
class StepOverheadTest {
  private static TensorVector gradients(double fill) {
    torch.manual_seed(5);
    LinearImpl lin = new LinearImpl(4, 3);
    lin.forward(torch.randn(8, 4)).square().sum().backward();
    TensorVector p = lin.parameters();
    if (fill != 0.5) {
      try (NoGradGuard ng = new NoGradGuard()) {
        p.get(0).grad().select(0, 1).select(0, 2).fill_(Torch.scalar(fill));
      }
    }
    return p;
  }

  @Test
  void finitenessCheckAgreesWithTheFloat64Norm() {
    Torch.init();
    assertTrue(GradientClipping.allFinite(gradients(0.5)));
    assertFalse(GradientClipping.allFinite(gradients(Double.NaN)));
    assertFalse(GradientClipping.allFinite(gradients(Double.POSITIVE_INFINITY)));
    assertFalse(GradientClipping.allFinite(gradients(Double.NEGATIVE_INFINITY)));
    // 1e30 squared overflows float32 but not float64: still finite.
    TensorVector huge = gradients(1e30);
    assertTrue(Double.isFinite(GradientClipping.globalNorm(huge)));
    assertTrue(GradientClipping.allFinite(huge));
  }

  @Test
  void rateZeroEmaIsTheWeightsAtEveryRead() {
    Torch.init();
    torch.manual_seed(3);
    LinearImpl lin = new LinearImpl(3, 2);
    Tensor w = lin.weight();
    Ema ema = new Ema(lin, 0.0);
    assertEquals(0.0, ema.nextDecay());
    for (int k = 1; k <= 3; k++) {
      try (NoGradGuard ng = new NoGradGuard()) {
        w.add_(Torch.scalar(0.25 * k));
      }
      ema.update();
      Map<String, Tensor> shadows = ema.shadows();
      assertArrayEquals(Torch.toDoubles(w), Torch.toDoubles(shadows.get("weight")), 0.0);
    }
    assertEquals(3, ema.updates());
    try (NoGradGuard ng = new NoGradGuard()) {
      w.add_(Torch.scalar(1.0));
    }
    double[] latest = Torch.toDoubles(w);
    ema.update();
    ema.swap();
    assertArrayEquals(latest, Torch.toDoubles(w), 0.0);
    assertArrayEquals(latest, Torch.toDoubles(ema.shadows().get("weight")), 0.0);
    LinearImpl copy = new LinearImpl(3, 2);
    ema.copyTo(copy);
    assertArrayEquals(Torch.toDoubles(w), Torch.toDoubles(copy.weight()), 0.0);
  }

  @Test
  void unclippedTrainingStillStopsOnANanGradient() {
    Tensor data = Fixtures.mixture(256, 1);
    ScoreModel model = Fixtures.model(5, 16);
    TrainerConfig config = TrainerConfig.defaults(10).withBatchSize(32).withGradClipNorm(0);
    Trainer trainer = new Trainer(model, config, new TensorDataset(data), null);
    trainer.addListener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double rate) {
        ((TinyMlp) model.network()).nanGradient = step == 2;
      }
    });
    TrainingException e = assertThrows(TrainingException.class, trainer::train);
    assertEquals(3, e.step());
    assertTrue(e.getMessage().startsWith("Training stopped at step 3: the gradient norm is NaN"), e.getMessage());
  }
}
