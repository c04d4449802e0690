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
  void refusesWeightsWithNaNInEitherFormatWithoutChangingAnything() throws Exception {
    try (PointerScope s = new PointerScope()) {
      Mlp broken = SMALL.create(1);
      try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
        broken.named_parameters().get("out.bias").fill_(new org.bytedeco.pytorch.Scalar(Double.NaN));
        broken.named_parameters().get("hidden0.weight").fill_(new org.bytedeco.pytorch.Scalar(Double.POSITIVE_INFINITY));
      }
      Path pt = dir.resolve("nan.pt");
      Networks.save(broken, pt);
      Mlp target = SMALL.create(2);
      Tensor before = target.named_parameters().get("out.bias").clone();
      String msg = assertThrows(InvalidInputException.class, () -> Networks.load(target, pt)).getMessage();
      assertEquals("weight file " + pt + " holds NaN or infinite values in 'hidden0.weight' and 1 more tensors; these "
          + "weights cannot be used", msg);
      assertTrue(before.equal(target.named_parameters().get("out.bias")), "a refused load changed a parameter");
      Path st = dir.resolve("nan.safetensors");
      WeightFiles.write(broken, st, WeightFiles.Format.SAFETENSORS, StateDict.Naming.LIBRARY, null);
      String other = assertThrows(InvalidInputException.class, () -> WeightFiles.load(target, st)).getMessage();
      assertTrue(other.contains(st + " holds NaN or infinite values in 'hidden0.weight'"), other);
      assertTrue(before.equal(target.named_parameters().get("out.bias")));
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
