package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.torch.Torch;

/**
 * The fused AdamW against libtorch's own {@code torch::optim::AdamW} on the same gradients, with a learning
 * rate that changes every step: the unfused path bit for bit, the fused kernel to float32 rounding; the
 * one-pass finiteness check; and version-2 checkpoints, whose AdamW state is libtorch's archive, read into the
 * same moments.
 */
class FusedAdamWTest {
  @TempDir Path dir;

  private static Module net(long seed) {
    torch.manual_seed(seed);
    Module m = new Module();
    m.register_module("a", new LinearImpl(5, 7));
    m.register_module("b", new LinearImpl(7, 3));
    return m;
  }

  /** Gradients of a fixed function of the weights at step k, written into every parameter's grad. */
  private static void gradients(Module m, int k) {
    TensorVector p = m.parameters(true);
    try (NoGradGuard ng = new NoGradGuard()) {
      for (long i = 0; i < p.size(); i++) {
        Tensor w = p.get(i);
        Tensor g = w.mul(Torch.scalar(0.3 + 0.1 * k)).sin().add(Torch.scalar(0.05 * (i + 1) * (k % 3 - 1)));
        w.mutable_grad().put(g);
      }
    }
  }

  private static float[] flat(Module m) {
    TensorVector p = m.parameters(true);
    TensorVector flat = new TensorVector();
    for (long i = 0; i < p.size(); i++) {
      flat.push_back(p.get(i).detach().reshape(-1));
    }
    return Torch.toFloats(torch.cat(flat));
  }

  private static AdamW libtorch(Module m, double lr, double wd) {
    AdamWOptions o = new AdamWOptions(lr);
    o.weight_decay().put(wd);
    return new AdamW(m.parameters(true), o);
  }

  /**
   * Three copies of one network: {@code ref} under libtorch's AdamW, {@code unfused} and {@code fused} under
   * this class's two paths, all given the same learning rate and gradients.
   */
  private static final class Three {
    final Module ref;
    final Module unfused;
    final Module fused;
    final AdamW a;
    final FusedAdamW b;
    final FusedAdamW c;

    Three(long seed, double lr, double wd) {
      ref = net(seed);
      unfused = net(seed);
      fused = net(seed);
      a = libtorch(ref, lr, wd);
      b = new FusedAdamW(unfused, lr, wd, false);
      c = new FusedAdamW(fused, lr, wd);
    }

    /** Step k on all three at {@code lr}; {@code without} ≥ 0 names a parameter left without a gradient. */
    void step(int k, double lr, int without) {
      a.param_groups().get(0).options().set_lr(lr);
      b.setLearningRate(lr);
      c.setLearningRate(lr);
      for (Module m : new Module[] {ref, unfused, fused}) {
        gradients(m, k);
        if (without >= 0) {
          m.parameters(true).get(without).mutable_grad().reset();
        }
      }
      a.step();
      b.step();
      c.step();
    }

    /** The largest |θ_fused − θ_libtorch|. */
    double fusedError() {
      float[] want = flat(ref);
      float[] got = flat(fused);
      double worst = 0;
      for (int i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(want[i] - got[i]));
      }
      return worst;
    }
  }

  @Test
  void bothPathsFollowLibtorchsAdamW() {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Three o = new Three(1, 1e-2, 0.01);
      assertFalse(o.b.isFused());
      assertTrue(o.c.isFused(), "libtorch 2.10 has aten::_fused_adamw_ for the CPU");
      float[] start = flat(o.ref);
      for (int k = 1; k <= 25; k++) {
        o.step(k, 1e-2 * (1 + 0.5 * Math.sin(k)), -1);
      }
      assertEquals(25, o.c.steps());
      float[] want = flat(o.ref);
      assertArrayEquals(want, flat(o.unfused), 0f, "the nine operations are libtorch's, bit for bit");
      double moved = 0;
      for (int i = 0; i < want.length; i++) {
        moved = Math.max(moved, Math.abs(want[i] - start[i]));
      }
      // rounding only: a missing weight decay (η λ θ ≈ 1e-4 a step) or a wrong bias correction would be far larger
      double worst = o.fusedError();
      assertTrue(worst < 2e-7, "fused against libtorch: max |Δθ| = " + worst);
      assertTrue(moved > 0.05, "the steps moved the weights: " + moved);
    }
  }

  @Test
  void aParameterWithoutAGradientIsLeftAloneAsLibtorchLeavesIt() {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Three o = new Three(4, 1e-2, 0.05);
      for (int k = 1; k <= 8; k++) {
        o.step(k, 1e-2, k % 3 == 2 ? 1 : -1); // parameter 1 (a.bias) gets no gradient at steps 2, 5 and 8
      }
      assertEquals(java.util.List.of(8L, 5L, 8L, 8L), java.util.List.copyOf(o.c.stepCounts().values()));
      assertEquals(8, o.c.steps());
      assertArrayEquals(flat(o.ref), flat(o.unfused), 0f, "skipping as libtorch skips, bit for bit");
      assertTrue(o.fusedError() < 2e-7, "fused against libtorch: " + o.fusedError());
      // after a skip the counts differ, and the fused path keeps them per parameter
      o.step(9, 1e-2, -1);
      assertTrue(o.fusedError() < 2e-7, "after the skips, fused against libtorch: " + o.fusedError());
    }
  }

  @Test
  void theFinitenessCheckFindsNaNAndInfinityAndLeavesGradientsAlone() {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Module m = net(2);
      FusedAdamW opt = new FusedAdamW(m, 1e-3, 0);
      gradients(m, 1);
      float[] before = Torch.toFloats(m.parameters(true).get(2).grad());
      assertTrue(opt.gradientsFinite());
      assertArrayEquals(before, Torch.toFloats(m.parameters(true).get(2).grad()), 0f);
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        gradients(m, 1);
        try (NoGradGuard ng = new NoGradGuard()) {
          m.parameters(true).get(3).grad().select(0, 1).fill_(Torch.scalar(bad));
        }
        assertFalse(opt.gradientsFinite(), "gradient " + bad);
      }
      gradients(m, 1);
      assertTrue(opt.gradientsFinite(), "the flag is cleared for the next check");
      opt.zeroGrad();
      assertFalse(m.parameters(true).get(0).grad().defined());
    }
  }

  @Test
  void versionTwoArchivesAreReadIntoTheSameMoments() throws Exception {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Module ref = net(3);
      Module ours = net(3);
      AdamW a = libtorch(ref, 5e-3, 0.02);
      FusedAdamW b = new FusedAdamW(ours, 5e-3, 0.02, false);
      for (int k = 1; k <= 4; k++) {
        gradients(ref, k);
        gradients(ours, k);
        a.step();
        b.step();
      }
      Path file = dir.resolve("v2.pt");
      Checkpoint.write(file, Map.of("format", CheckpointSchema.FORMAT, "version", "2"), Map.of(), a);
      Checkpoint.LegacyAdamW legacy;
      try (Checkpoint c = Checkpoint.read(file)) {
        legacy = c.legacyAdamW(4);
        List<String> names = b.names();
        for (int i = 0; i < 4; i++) {
          assertEquals(4, legacy.steps()[i]);
          assertArrayEquals(Torch.toFloats(b.expAvg().get(names.get(i))), Torch.toFloats(legacy.expAvg()[i]), 0f);
          assertArrayEquals(Torch.toFloats(b.expAvgSq().get(names.get(i))), Torch.toFloats(legacy.expAvgSq()[i]), 0f);
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> c.legacyAdamW(3));
        org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> c.legacyAdamW(5));
      }
      // a fresh optimiser over the same weights, given that state, continues as libtorch's does
      FusedAdamW resumed = new FusedAdamW(ours, 5e-3, 0.02, false);
      Map<String, Tensor> m = new java.util.LinkedHashMap<>();
      Map<String, Tensor> v = new java.util.LinkedHashMap<>();
      for (int i = 0; i < 4; i++) {
        m.put(resumed.names().get(i), legacy.expAvg()[i]);
        v.put(resumed.names().get(i), legacy.expAvgSq()[i]);
      }
      Map<String, Long> counts = new java.util.LinkedHashMap<>();
      resumed.names().forEach(n -> counts.put(n, 4L));
      resumed.load(counts, m, v);
      gradients(ref, 5);
      gradients(ours, 5);
      a.step();
      resumed.step();
      assertArrayEquals(flat(ref), flat(ours), 0f);
    }
  }
}
