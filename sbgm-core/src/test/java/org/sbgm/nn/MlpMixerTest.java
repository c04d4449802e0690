package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class MlpMixerTest {
  static {
    Torch.init();
  }

  /** 8×8 images in 2×2 patches (16 tokens), hidden 16, token MLP 8, channel MLP 32, 2 blocks, π of size 3, 1-channel y. */
  private static final MlpMixerConfig SMALL =
      new MlpMixerConfig(1, 8, 8, 2, 16, 8, 32, 2, TimeEmbeddingConfig.sinusoidal(8), 3, 1);

  @TempDir Path dir;

  @Test
  void passesTheNetworkChecks() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(2);
      NetworkChecks.Inputs in = new NetworkChecks.Inputs(NetworkChecks.randn(g, 4, 1, 8, 8), NetworkChecks.times(g, 4),
          NetworkChecks.randn(g, 4, 3), NetworkChecks.randn(g, 4, 1, 8, 8));
      NetworkChecks.assertShapeLikeX(SMALL.create(0), in);
      NetworkChecks.assertDeterministicInit(SMALL::create);
      NetworkChecks.assertSaveLoadRoundTrip(SMALL::create, in, dir);
      NetworkChecks.assertDependsOnInputs(SMALL.create(3), in, g);
      NetworkChecks.assertTrainingStepLowersLoss(SMALL.create(4), in, g, 1e-3);
    }
  }

  @Test
  void parameterCountFollowsTheArchitecture() {
    try (PointerScope s = new PointerScope()) {
      long block = 2 * (8 * 512 + 512) + (16 * 8 + 8) + (8 * 16 + 16) + (16 * 32 + 32) + (32 * 16 + 16);
      long expected = (8 * 8 + 8) + (3 * 8 + 8) + (2 * 16 * 4 + 16) + 2 * block + 2 * 16 * 16 + (16 * 4 + 1);
      assertEquals(expected, Networks.parameterCount(SMALL.create(0)));
    }
  }

  @Test
  void layerNormStartsAsTheIdentityAffineMap() {
    try (PointerScope s = new PointerScope()) {
      MlpMixer net = SMALL.create(0);
      // the final LayerNorm's weight is [16, 16]; seeded re-initialisation must leave norms at ones and zeros
      for (double v : Torch.toDoubles(net.named_parameters().get("norm.weight"))) {
        assertEquals(1.0, v, 0.0);
      }
      for (double v : Torch.toDoubles(net.named_parameters().get("norm.bias"))) {
        assertEquals(0.0, v, 0.0);
      }
    }
  }

  @Test
  void patchSizeMustDivideTheImage() {
    String msg = assertThrows(InvalidInputException.class,
        () -> new MlpMixerConfig(1, 28, 30, 4, 16, 8, 32, 1, TimeEmbeddingConfig.sinusoidal(8), 0, 0)).getMessage();
    assertEquals("MlpMixer patch size 4 must divide the image height 28 and width 30", msg);
  }
}
