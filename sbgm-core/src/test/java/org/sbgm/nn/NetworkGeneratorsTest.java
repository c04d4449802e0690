package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Networks list the generators of their training-time noise, and restoring a generator's state replays the noise. */
class NetworkGeneratorsTest {
  static {
    Torch.init();
  }

  @Test
  void deterministicNetworksListNone() {
    MlpConfig mlp = new MlpConfig(2, 8, 1, Activation.SILU, TimeEmbeddingConfig.fourier(2, 1.0), 0);
    MlpMixerConfig mixer = new MlpMixerConfig(1, 4, 4, 2, 8, 8, 8, 1, TimeEmbeddingConfig.sinusoidal(8), 0, 0);
    assertEquals(Map.of(), mlp.create(1).generators());
    assertEquals(Map.of(), mixer.create(1).generators());
  }

  @Test
  void dropoutIsReplayedFromTheSavedGeneratorState() {
    try (PointerScope scope = new PointerScope()) {
      ResidualMlp net = new ResidualMlpConfig(2, 16, 2, Activation.SILU, 0.5, TimeEmbeddingConfig.fourier(4, 1.0), 0)
          .create(3);
      assertEquals(List.of("dropout"), List.copyOf(net.generators().keySet()));
      net.train(true);
      Tensor x = Torch.randn(new long[] {5, 2}, Torch.generator(1), Torch.options(DType.FLOAT32));
      Tensor t = Torch.full(new long[] {5}, 0.5, x);
      Tensor state = net.generators().get("dropout").get_state();
      float[] first = Torch.toFloats(net.forward(x, t, null, null));
      float[] second = Torch.toFloats(net.forward(x, t, null, null));
      assertFalse(Arrays.equals(first, second), "dropout draws fresh masks each pass");
      net.generators().get("dropout").set_state(state);
      assertArrayEquals(first, Torch.toFloats(net.forward(x, t, null, null)), 0f);

      Generator replacement = Torch.generator(11);
      net.setGenerator(replacement);
      assertSame(replacement, net.generators().get("dropout"));
    }
  }
}
