package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class UNetTest {
  static {
    Torch.init();
  }

  /** Two levels, attention at level 1 (2 heads) and in the middle, GroupNorm(4), π of size 3 and a 1-channel y. */
  private static final UNetConfig SMALL = new UNetConfig(1, 8, List.of(1, 2), 1, List.of(1), true, 2, 0.0, 4,
      TimeEmbeddingConfig.sinusoidal(8), 3, 1, 0.0);

  @TempDir Path dir;

  @Test
  void referenceHasThePythonParameterCountAndShape() {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      UNet net = UNetConfig.reference().create(0);
      assertEquals(793_697, Networks.parameterCount(net));
      Generator g = Torch.generator(1);
      Tensor out = net.forward(NetworkChecks.randn(g, 2, 1, 28, 28), NetworkChecks.times(g, 2), null, null);
      assertArrayEquals(new long[] {2, 1, 28, 28}, Torch.shape(out));
      assertTrue(Torch.allFinite(out));
    }
  }

  @Test
  void passesTheNetworkChecks() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(2);
      // y at half resolution exercises the bilinear resize
      NetworkChecks.Inputs in = new NetworkChecks.Inputs(NetworkChecks.randn(g, 4, 1, 8, 8), NetworkChecks.times(g, 4),
          NetworkChecks.randn(g, 4, 3), NetworkChecks.randn(g, 4, 1, 4, 4));
      NetworkChecks.assertShapeLikeX(SMALL.create(0), in);
      NetworkChecks.assertDeterministicInit(SMALL::create);
      NetworkChecks.assertSaveLoadRoundTrip(SMALL::create, in, dir);
      NetworkChecks.assertDependsOnInputs(SMALL.create(3), in, g);
      NetworkChecks.assertTrainingStepLowersLoss(SMALL.create(4), in, g, 1e-3);
    }
  }

  @Test
  void oddSizesUpsampleToTheSkipSize() {
    UNetConfig c = new UNetConfig(2, 8, List.of(1, 1, 2), 1, List.of(), false, 1, 0.0, 4,
        TimeEmbeddingConfig.fourier(4, 1.0), 0, 0, 0.0);
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Generator g = Torch.generator(3);
      NetworkChecks.assertShapeLikeX(c.create(0), new NetworkChecks.Inputs(NetworkChecks.randn(g, 2, 2, 7, 9),
          NetworkChecks.times(g, 2), null, null));
    }
  }

  @Test
  void conditionDropoutReplacesWholeConditionsByZerosOnlyInTraining() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(4);
      int b = 16;
      NetworkChecks.assertConditionDropout(SMALL.withConditionDropout(0.5).create(0), new NetworkChecks.Inputs(
          NetworkChecks.randn(g, b, 1, 8, 8), NetworkChecks.times(g, b), NetworkChecks.randn(g, b, 3),
          NetworkChecks.randn(g, b, 1, 8, 8)));
    }
  }

  @Test
  void rejectsBadConfigurationsAndInputs() {
    String groups = assertThrows(InvalidInputException.class, () -> new UNetConfig(1, 12, List.of(1), 1, List.of(),
        false, 1, 0.0, 8, TimeEmbeddingConfig.sinusoidal(8), 0, 0, 0.0).create(0)).getMessage();
    assertEquals("GroupNorm needs the channel count 12 to be a multiple of the group count 8", groups);
    assertThrows(InvalidInputException.class, () -> new UNetConfig(1, 8, List.of(1, 2), 1, List.of(2), false, 1,
        0.0, 4, TimeEmbeddingConfig.sinusoidal(8), 0, 0, 0.0));
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(5);
      UNet net = SMALL.create(0);
      Tensor x = NetworkChecks.randn(g, 2, 1, 8, 8);
      Tensor t = NetworkChecks.times(g, 2);
      String missing = assertThrows(InvalidInputException.class,
          () -> net.forward(x, t, NetworkChecks.randn(g, 2, 3), null)).getMessage();
      assertEquals("UNet is conditioned on an image with 1 channel (conditionImageChannels = 1), but none was given", missing);
      assertThrows(InvalidInputException.class, () -> net.forward(NetworkChecks.randn(g, 2, 3, 8, 8), t, null, null));
    }
  }
}
