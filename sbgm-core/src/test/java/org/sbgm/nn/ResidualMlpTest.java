package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class ResidualMlpTest {
  static {
    Torch.init();
  }

  private static final ResidualMlpConfig CONDITIONED =
      new ResidualMlpConfig(2, 32, 3, Activation.TANH, 0.0, TimeEmbeddingConfig.sinusoidal(8), 3);

  @TempDir Path dir;

  @Test
  void passesTheNetworkChecks() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(5);
      NetworkChecks.Inputs in = new NetworkChecks.Inputs(NetworkChecks.randn(g, 8, 2), NetworkChecks.times(g, 8),
          NetworkChecks.randn(g, 8, 3), null);
      // Linear(8,32) + Linear(3,32) + Linear(2,32) + 3·3·Linear(32,32) + Linear(32,2)
      assertEquals(288 + 128 + 96 + 9 * 1056 + 66, Networks.parameterCount(CONDITIONED.create(0)));
      NetworkChecks.assertShapeLikeX(CONDITIONED.create(0), in);
      NetworkChecks.assertDeterministicInit(CONDITIONED::create);
      NetworkChecks.assertSaveLoadRoundTrip(CONDITIONED::create, in, dir);
      NetworkChecks.assertDependsOnInputs(CONDITIONED.create(3), in, g);
      NetworkChecks.assertTrainingStepLowersLoss(CONDITIONED.create(4), in, g, 1e-3);
      assertThrows(InvalidInputException.class, () -> CONDITIONED.create(0).forward(in.x(), in.t(), null, null));
    }
  }

  @Test
  void dropoutActsOnlyInTrainingAndReplaysFromTheSeed() {
    ResidualMlpConfig c = new ResidualMlpConfig(2, 64, 2, Activation.SILU, 0.5, TimeEmbeddingConfig.fourier(4, 1.0), 0);
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Generator g = Torch.generator(6);
      Tensor x = NetworkChecks.randn(g, 16, 2);
      Tensor t = NetworkChecks.times(g, 16);
      ResidualMlp a = c.create(1);
      ResidualMlp b = c.create(1);
      Tensor trainA = a.forward(x, t, null, null);
      assertTrue(trainA.equal(b.forward(x, t, null, null)), "dropout masks do not replay from the seed");
      assertFalse(trainA.equal(a.forward(x, t, null, null)), "two training passes drew the same dropout mask");
      a.eval();
      Tensor evalA = a.forward(x, t, null, null);
      assertTrue(evalA.equal(a.forward(x, t, null, null)), "evaluation is not deterministic");
      assertFalse(evalA.equal(trainA));
    }
  }
}
