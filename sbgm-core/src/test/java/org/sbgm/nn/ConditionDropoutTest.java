package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Classifier-free condition dropout in every network, each conditioned on π and on an image y (a flattened
 * vector for the MLPs): a network with dropout probability p &gt; 0 takes an absent condition as the dropped
 * one, bit for bit what a training pass that drops every sample computes; a dropped condition is not the
 * same as a zero condition (a standardised π at its mean); in training mode each sample is either
 * conditioned or dropped, never anything else; and the keep flags come from the network's own generator.
 */
class ConditionDropoutTest {
  private static final long B = 24;

  @BeforeAll
  static void init() {
    Torch.init();
    Torch.setThreads(1);
  }

  enum Net {
    MLP, RESIDUAL_MLP, UNET, DIT, MIXER;

    /** The network, its parameters perturbed (DiT starts with zero output layers). */
    Network create(double p, long seed) {
      Network n = config(p).create(seed);
      Generator g = Torch.generator(seed + 1000);
      try (PointerScope s = new PointerScope(); NoGradGuard off = new NoGradGuard()) {
        var ps = n.module().parameters(true);
        for (long i = 0; i < ps.size(); i++) {
          Tensor w = ps.get(i);
          w.add_(Torch.randn(Torch.shape(w), g, w.options()).mul(Torch.scalar(0.05)));
        }
      }
      return n;
    }

    NetworkConfig config(double p) {
      TimeEmbeddingConfig fourier = TimeEmbeddingConfig.fourier(4, 1.0);
      return switch (this) {
        case MLP -> new MlpConfig(3, 16, 2, Activation.SILU, fourier, 2, 4, p);
        case RESIDUAL_MLP -> new ResidualMlpConfig(3, 16, 2, Activation.SILU, 0.0, fourier, 2, 4, p);
        case UNET -> new UNetConfig(1, 8, List.of(1, 2), 1, List.of(), true, 1, 0.0, 4, TimeEmbeddingConfig.sinusoidal(8),
            2, 1, p);
        case DIT -> DiTConfig.of(1, 8, 8, 4, 16, 1, 2).withConditions(2, 1).withConditionDropout(p);
        case MIXER -> new MlpMixerConfig(1, 8, 8, 4, 16, 8, 16, 1, TimeEmbeddingConfig.sinusoidal(8), 2, 1, p);
      };
    }

    boolean images() {
      return this == UNET || this == DIT || this == MIXER;
    }

    Tensor x(Generator g) {
      return Torch.randn(images() ? new long[] {B, 1, 8, 8} : new long[] {B, 3}, g, Torch.options(DType.FLOAT32));
    }

    Tensor image(Generator g) {
      return Torch.randn(images() ? new long[] {B, 1, 4, 4} : new long[] {B, 2, 2}, g, Torch.options(DType.FLOAT32));
    }
  }

  private static Tensor eval(Network n, Tensor x, Tensor t, Tensor pi, Tensor y) {
    n.module().eval();
    try (NoGradGuard off = new NoGradGuard()) {
      return n.forward(x, t, pi, y);
    }
  }

  private static Tensor train(Network n, Tensor x, Tensor t, Tensor pi, Tensor y) {
    n.module().train(true);
    try (NoGradGuard off = new NoGradGuard()) {
      return n.forward(x, t, pi, y);
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void anAbsentConditionIsTheDroppedOne(Net net) {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(3);
      Tensor x = net.x(g);
      Tensor t = NetworkChecks.times(g, B);
      Tensor pi = NetworkChecks.randn(g, B, 2);
      Tensor y = net.image(g);
      Network guided = net.create(0.5, 7);
      Network alwaysDropped = net.create(1 - 1e-9, 7); // same architecture and weights; every sample dropped
      assertEquals(List.of("dropout"), List.copyOf(guided.generators().keySet()));
      Tensor unconditional = eval(guided, x, t, null, null);
      assertArrayEquals(Torch.toFloats(unconditional), Torch.toFloats(train(alwaysDropped, x, t, pi, y)), 0f,
          "a training pass that drops every sample computes the unconditional output");
      Tensor zeros = eval(guided, x, t, pi.mul(Torch.scalar(0)), y.mul(Torch.scalar(0)));
      assertTrue(NetworkChecks.maxAbsDiff(zeros, unconditional) > 1e-4, "a zero condition must not be the dropped one");
      Tensor conditional = eval(guided, x, t, pi, y);
      assertTrue(NetworkChecks.maxAbsDiff(conditional, unconditional) > 1e-4);
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void inTrainingEachSampleIsConditionedOrDropped(Net net) {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(4);
      Tensor x = net.x(g);
      Tensor t = NetworkChecks.times(g, B);
      Tensor pi = NetworkChecks.randn(g, B, 2);
      Tensor y = net.image(g);
      Network n = net.create(0.5, 8);
      float[] conditional = Torch.toFloats(eval(n, x, t, pi, y));
      float[] unconditional = Torch.toFloats(eval(n, x, t, null, null));
      Tensor state = n.generators().get("dropout").get_state();
      float[] mixed = Torch.toFloats(train(n, x, t, pi, y));
      int per = mixed.length / (int) B;
      int dropped = 0;
      for (int b = 0; b < B; b++) {
        boolean isConditional = close(mixed, conditional, b, per);
        boolean isDropped = close(mixed, unconditional, b, per);
        assertTrue(isConditional != isDropped, "sample " + b + " is neither conditioned nor dropped");
        dropped += isDropped ? 1 : 0;
      }
      assertTrue(dropped > 3 && dropped < B - 3, "p = 0.5 dropped " + dropped + " of " + B);
      n.generators().get("dropout").set_state(state);
      assertArrayEquals(mixed, Torch.toFloats(train(n, x, t, pi, y)), 0f, "the keep flags replay from the generator");
    }
  }

  private static boolean close(float[] a, float[] b, int row, int per) {
    for (int i = row * per; i < (row + 1) * per; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-5 * Math.max(1, Math.abs(b[i]))) {
        return false;
      }
    }
    return true;
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void withoutDropoutAConditionalNetworkRefusesAMissingCondition(Net net) {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(5);
      Tensor x = net.x(g);
      Tensor t = NetworkChecks.times(g, B);
      Network n = net.create(0, 9);
      assertTrue(n.generators().isEmpty() || net == Net.RESIDUAL_MLP || net == Net.UNET || net == Net.DIT);
      String m = assertThrows(InvalidInputException.class, () -> eval(n, x, t, null, null)).getMessage();
      assertTrue(m.contains("none was given"), m);
      Network guided = net.create(0.5, 9);
      String half = assertThrows(InvalidInputException.class,
          () -> eval(guided, x, t, NetworkChecks.randn(g, B, 2), null)).getMessage();
      assertTrue(half.contains("give both, or neither"), half);
    }
  }

  /** Forward-mode tangents of the MLPs with a dropped condition in training mode: the same masks as autograd's pass. */
  @Test
  void mlpTangentsWithConditionDropoutMatchAutograd() {
    for (Net net : new Net[] {Net.MLP, Net.RESIDUAL_MLP}) {
      try (PointerScope s = new PointerScope()) {
        Generator g = Torch.generator(6);
        TangentNetwork n = (TangentNetwork) net.create(0.5, 10);
        n.module().to(DType.FLOAT64.scalarType(), false);
        n.module().train(true);
        Tensor x = Torch.randn(new long[] {B, 3}, g, Torch.options(DType.FLOAT64));
        Tensor t = NetworkChecks.times(g, B).to(DType.FLOAT64.scalarType());
        Tensor pi = Torch.randn(new long[] {B, 2}, g, Torch.options(DType.FLOAT64));
        Tensor y = Torch.randn(new long[] {B, 4}, g, Torch.options(DType.FLOAT64));
        Tensor v = Torch.randn(new long[] {2, B, 3}, g, Torch.options(DType.FLOAT64));
        Tensor state = n.generators().get("dropout").get_state();
        Tangents r = n.forwardWithTangents(x, t, pi, y, v);
        n.generators().get("dropout").set_state(state);
        Tensor reference = NetworkChecks.autogradProducts(n, x, t, pi, y, v);
        n.generators().get("dropout").set_state(state);
        Tensor output;
        try (NoGradGuard off = new NoGradGuard()) {
          output = n.forward(x, t, pi, y);
        }
        assertTrue(NetworkChecks.maxAbsDiff(r.jvp(), reference) < 1e-10 * reference.abs().max().item_double(), net.name());
        assertTrue(NetworkChecks.maxAbsDiff(r.output(), output) < 1e-12 * output.abs().max().item_double(), net.name());
      }
    }
  }

  @Test
  void vectorNetworksFlattenTheImageAndCheckItsSize() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(7);
      Network n = Net.MLP.create(0, 11);
      Tensor x = Net.MLP.x(g);
      Tensor t = NetworkChecks.times(g, B);
      Tensor pi = NetworkChecks.randn(g, B, 2);
      Tensor y = NetworkChecks.randn(g, B, 2, 2);
      assertArrayEquals(Torch.toFloats(eval(n, x, t, pi, y)), Torch.toFloats(eval(n, x, t, pi, y.reshape(B, 4))), 0f);
      String m = assertThrows(InvalidInputException.class, () -> eval(n, x, t, pi, NetworkChecks.randn(g, B, 5)))
          .getMessage();
      assertEquals("Mlp expects a condition image of shape [24, ...] with 4 values per sample, got [24, 5]", m);
      assertEquals(Map.of(), n.generators());
    }
  }
}
