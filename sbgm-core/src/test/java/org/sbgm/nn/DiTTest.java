package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class DiTTest {
  static {
    Torch.init();
  }

  /** 8×8 images in 2×2 patches (16 tokens), width 32, 2 blocks, 4 heads, π of size 3 and a 1-channel y. */
  private static final DiTConfig SMALL = DiTConfig.of(1, 8, 8, 2, 32, 2, 4).withConditions(3, 1);

  @TempDir Path dir;

  /** adaLN-Zero makes a fresh DiT the zero function; dependence checks need the zero layers moved away from 0. */
  private static DiT perturbed(long seed) {
    return perturbed(SMALL, seed);
  }

  private static DiT perturbed(DiTConfig config, long seed) {
    DiT net = config.create(seed);
    Generator g = Torch.generator(seed + 1000);
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TensorVector ps = net.parameters();
      for (long i = 0; i < ps.size(); i++) {
        Tensor p = ps.get(i);
        p.add_(Torch.randn(Torch.shape(p), g, p.options()).mul(Torch.scalar(0.05)));
      }
    }
    return net;
  }

  private static NetworkChecks.Inputs inputs(Generator g, int batch) {
    return new NetworkChecks.Inputs(NetworkChecks.randn(g, batch, 1, 8, 8), NetworkChecks.times(g, batch),
        NetworkChecks.randn(g, batch, 3), NetworkChecks.randn(g, batch, 1, 4, 4));
  }

  @Test
  void freshNetworkIsTheZeroFunction() {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor out = inputs(Torch.generator(1), 3).run(SMALL.create(0));
      assertEquals(0.0, out.abs().max().item_double(), 0.0);
    }
  }

  @Test
  void passesTheNetworkChecks() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(2);
      NetworkChecks.Inputs in = inputs(g, 4);
      NetworkChecks.assertShapeLikeX(perturbed(0), in);
      NetworkChecks.assertDeterministicInit(SMALL::create);
      NetworkChecks.assertSaveLoadRoundTrip(DiTTest::perturbed, in, dir);
      NetworkChecks.assertDependsOnInputs(perturbed(3), in, g);
      NetworkChecks.assertTrainingStepLowersLoss(SMALL.create(4), in, g, 1e-3);
      NetworkChecks.assertTrainingStepLowersLoss(perturbed(5), in, g, 1e-3);
    }
  }

  @Test
  void conditionDropoutReplacesWholeConditionsByZerosOnlyInTraining() {
    try (PointerScope s = new PointerScope()) {
      NetworkChecks.assertConditionDropout(perturbed(SMALL.withConditionDropout(0.5), 6), inputs(Torch.generator(7), 16));
    }
  }

  @Test
  void parameterCountFollowsTheArchitecture() {
    try (PointerScope s = new PointerScope()) {
      DiTConfig plain = DiTConfig.of(1, 8, 8, 2, 32, 2, 4);
      long d = 32;
      long block = (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + (d * 6 * d + 6 * d);
      long expected = (d * d + d) + (d * d + d) // time MLP from sinusoidal(32)
          + (1 * 4 * d + d) // patch conv 2×2
          + 2 * block + (d * 2 * d + 2 * d) + (d * 4 + 4); // blocks, final modulation, final linear
      assertEquals(expected, Networks.parameterCount(plain.create(0)));
      DiTConfig learned = new DiTConfig(1, 8, 8, 2, 32, 2, 4, 4.0, true, plain.timeEmbedding(), 0, 0, 0.0);
      assertEquals(expected + 16 * d, Networks.parameterCount(learned.create(0)));
    }
  }

  @Test
  void patchSizeMustDivideTheImage() {
    String msg = assertThrows(InvalidInputException.class, () -> DiTConfig.of(1, 28, 28, 3, 32, 1, 2)).getMessage();
    assertEquals("DiT patch size 3 must divide the image height 28 and width 28", msg);
    assertThrows(InvalidInputException.class, () -> DiTConfig.of(1, 8, 8, 2, 30, 1, 4));
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(3);
      DiT net = DiTConfig.of(1, 8, 8, 2, 32, 1, 4).create(0);
      String shape = assertThrows(InvalidInputException.class,
          () -> net.forward(NetworkChecks.randn(g, 2, 1, 6, 6), NetworkChecks.times(g, 2), null, null)).getMessage();
      assertEquals("DiT was built for x of shape [B, 1, 8, 8], got [2, 1, 6, 6]", shape);
    }
  }
}
