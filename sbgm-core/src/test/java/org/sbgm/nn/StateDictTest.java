package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npz;
import org.sbgm.io.SafeTensors;
import org.sbgm.python.PythonFixtures;
import org.sbgm.torch.Torch;

/** Export, import, identical outputs: every network type, both namings, safetensors and .npz; mismatches refused. */
class StateDictTest {
  @TempDir static Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  enum Net {
    MLP(seed -> new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 1.0), 2).create(seed), false),
    RESIDUAL_MLP(seed -> new ResidualMlpConfig(2, 16, 2, Activation.SILU, 0.2, TimeEmbeddingConfig.fourier(4, 1.0), 2)
        .create(seed), false),
    UNET(seed -> new UNetConfig(1, 8, List.of(1, 2), 1, List.of(), true, 1, 0.2, 4, TimeEmbeddingConfig.sinusoidal(8), 0,
        0, 0.0).create(seed), true),
    UNET_TWO_BLOCKS(seed -> new UNetConfig(1, 8, List.of(1, 2), 2, List.of(1), true, 2, 0.0, 4,
        TimeEmbeddingConfig.fourier(4, 1.0), 2, 0, 0.0).create(seed), true),
    DIT(seed -> DiTConfig.of(1, 8, 8, 4, 16, 1, 2).withConditions(2, 0).create(seed), true),
    MLP_MIXER(seed -> new MlpMixerConfig(1, 8, 8, 4, 16, 8, 16, 1, TimeEmbeddingConfig.sinusoidal(8), 2, 0).create(seed), true),
    TORCHSCRIPT(seed -> {
      TorchScriptNetwork n = TorchScriptNetwork.load(PythonFixtures.copy("conditional.pt", dir));
      try (NoGradGuard ng = new NoGradGuard()) {
        StateDict.of(n, StateDict.Naming.LIBRARY).values().forEach(t -> t.mul_(Torch.scalar(1 + 0.1 * seed)));
      }
      return n;
    }, false);

    final java.util.function.LongFunction<Network> factory;
    final boolean images;

    Net(java.util.function.LongFunction<Network> factory, boolean images) {
      this.factory = factory;
      this.images = images;
    }
  }

  static Tensor output(Net net, Network n) {
    Generator g = Torch.generator(5);
    boolean conditioned = net != Net.UNET;
    Tensor x = net.images ? NetworkChecks.randn(g, 3, 1, 8, 8) : NetworkChecks.randn(g, 3, 2);
    Tensor p = conditioned ? NetworkChecks.randn(g, 3, 2) : null;
    n.module().eval();
    try (NoGradGuard ng = new NoGradGuard()) {
      return n.forward(x, NetworkChecks.times(g, 3), p, null);
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void exportedWeightsLoadIntoAnotherNetworkWithIdenticalOutputs(Net net) throws IOException {
    for (StateDict.Naming naming : StateDict.Naming.values()) {
      for (String format : List.of("safetensors", "npz")) {
        try (PointerScope scope = new PointerScope()) {
          Network source = perturbed(net.factory.apply(1), 1);
          Network target = perturbed(net.factory.apply(2), 2);
          Tensor expected = output(net, source);
          assertFalse(output(net, target).equal(expected), "different initial weights");
          Path file = dir.resolve(net + "-" + naming + "." + format);
          Map<String, Tensor> tensors = StateDict.of(source, naming);
          Map<String, Tensor> read;
          if (format.equals("safetensors")) {
            SafeTensors.write(file, tensors, Map.of("format", "pt"));
            read = SafeTensors.read(file).tensors();
          } else {
            Npz.write(file, tensors, false);
            read = new LinkedHashMap<>();
            for (String name : Npz.names(file)) {
              read.put(name, Npz.readTensor(file, name));
            }
          }
          StateDict.Naming used = StateDict.load(target, read, file.toString());
          assertEquals(PyTorchNames.renames(source) ? naming : StateDict.Naming.PYTORCH, used);
          assertTrue(output(net, target).equal(expected), net + " " + naming + " " + format + ": outputs differ after the round trip");
        }
      }
    }
  }

  /** Every weight moved by seeded noise (DiT's adaLN-Zero layers start at zero, whatever the seed). */
  static Network perturbed(Network n, long seed) {
    Generator g = Torch.generator(100 + seed);
    try (NoGradGuard ng = new NoGradGuard()) {
      for (Tensor t : StateDict.of(n, StateDict.Naming.LIBRARY).values()) {
        t.add_(Torch.randnLike(t, g).mul(Torch.scalar(0.05)));
      }
    }
    return n;
  }

  private static String refusal(Supplier<?> load) {
    return assertThrows(InvalidInputException.class, load::get).getMessage();
  }

  @Test
  void everyMismatchIsNamedAndNothingIsChanged() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> python = SafeTensors.read(PythonFixtures.copy("mlp.safetensors", dir)).tensors();
      Mlp narrow = new MlpConfig(2, 16, 3, Activation.SILU, TimeEmbeddingConfig.fourier(16, 16.0), 0).create(1);
      Tensor before = narrow.named_parameters().get("out.bias").clone();
      String msg = refusal(() -> StateDict.load(narrow, python, "mlp.safetensors"));
      assertTrue(msg.startsWith("mlp.safetensors does not fit the Mlp (pytorch names): 'net.0.weight' has shape [32, 34] but the network's is [16, 34]; "), msg);
      assertTrue(msg.endsWith("; and 1 more."), msg);
      assertTrue(before.equal(narrow.named_parameters().get("out.bias")), "a refused load changed nothing");

      Mlp same = new MlpConfig(2, 32, 3, Activation.SILU, TimeEmbeddingConfig.fourier(16, 16.0), 0).create(1);
      Map<String, Tensor> changed = new LinkedHashMap<>(python);
      changed.remove("net.6.bias");
      changed.put("net.0.weight", python.get("net.0.weight").to(torch.ScalarType.Double));
      changed.put("net.8.weight", python.get("net.6.weight"));
      msg = refusal(() -> StateDict.load(same, changed, "edited.safetensors"));
      assertEquals("edited.safetensors does not fit the Mlp (pytorch names): 'net.0.weight' is F64 but the network's is F32; "
          + "it has no tensor 'net.6.bias' (F32, shape [2]); it holds 'net.8.weight', which the network does not have.", msg);

      Mlp deeper = new MlpConfig(2, 32, 4, Activation.SILU, TimeEmbeddingConfig.fourier(16, 16.0), 0).create(1);
      msg = refusal(() -> StateDict.load(deeper, python, "mlp.safetensors"));
      assertTrue(msg.contains("it has no tensor 'net.8.weight'") && msg.contains("'net.6.weight' has shape [2, 32] but the network's is [32, 32]"), msg);
    }
  }
}
