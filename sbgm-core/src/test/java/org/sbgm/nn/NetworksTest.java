package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class NetworksTest {
  static {
    Torch.init();
  }

  private static final MlpConfig SMALL = new MlpConfig(2, 16, 1, Activation.SILU, TimeEmbeddingConfig.fourier(2, 1.0), 0);

  @TempDir Path dir;

  @Test
  void overwritesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
    try (PointerScope s = new PointerScope()) {
      Path file = dir.resolve("nested/w.pt");
      Networks.save(SMALL.create(1), file);
      Networks.save(SMALL.create(2), file);
      Mlp loaded = SMALL.create(3);
      Networks.load(loaded, file);
      Mlp two = SMALL.create(2);
      for (long i = 0; i < two.named_parameters().size(); i++) {
        assertTrue(two.named_parameters().get(i).value().equal(loaded.named_parameters().get(i).value()));
      }
      assertTrue(two.named_buffers().get("embedding.w").equal(loaded.named_buffers().get("embedding.w")),
          "the Fourier frequencies (a buffer) were not restored");
      try (Stream<Path> files = Files.list(file.getParent())) {
        assertEquals(1, files.count());
      }
    }
  }

  @Test
  void refusesAFileFromAnotherConfigurationWithoutChangingAnything() {
    try (PointerScope s = new PointerScope()) {
      Path file = dir.resolve("w.pt");
      Networks.save(SMALL.create(1), file);
      Mlp wider = new MlpConfig(2, 32, 1, Activation.SILU, TimeEmbeddingConfig.fourier(2, 1.0), 0).create(5);
      Tensor before = wider.named_parameters().get("out.bias").clone();
      String msg = assertThrows(InvalidInputException.class, () -> Networks.load(wider, file)).getMessage();
      assertTrue(msg.contains("hidden0.weight with shape [16, 6], but the network expects [32, 6]"), msg);
      assertTrue(before.equal(wider.named_parameters().get("out.bias")), "a refused load changed a parameter");
      Mlp deeper = new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(2, 1.0), 0).create(5);
      String missing = assertThrows(InvalidInputException.class, () -> Networks.load(deeper, file)).getMessage();
      assertTrue(missing.contains("has no parameter hidden1.weight"), missing);
      assertThrows(InvalidInputException.class, () -> Networks.load(deeper, dir.resolve("absent.pt")));
    }
  }

  @Test
  void refusesToWriteNamesLibtorchCannotReadBack() {
    final class Bad extends NetworkModule implements Network {
      Bad() {
        child("in", Layers.linear(2, 2));
      }

      @Override
      public Module module() {
        return this;
      }

      @Override
      public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
        return x;
      }
    }
    Path file = dir.resolve("bad.pt");
    String msg = assertThrows(InvalidInputException.class, () -> Networks.save(new Bad(), file)).getMessage();
    assertTrue(msg.startsWith("cannot save in.weight: 'in' is not a valid Python identifier"), msg);
    assertFalse(Files.exists(file));
  }
}
