package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class NpzTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  @Test
  void readsStoredAndDeflatedNumpyArchives() throws IOException {
    Path stored = NpyTest.fixture("stored.npz");
    assertEquals(List.of("x", "y"), Npz.names(stored));
    Map<String, NdArray> all = Npz.read(stored);
    assertEquals(Npy.read(NpyTest.fixture("f32_3x2.npy")), all.get("x"));
    assertEquals(Npy.read(NpyTest.fixture("f64_4.npy")), all.get("y"));

    Path deflated = NpyTest.fixture("deflated.npz");
    assertEquals(Npy.read(NpyTest.fixture("u8_2x3x3.npy")), Npz.read(deflated, "u"));
    try (PointerScope s = new PointerScope()) {
      Tensor x = Npz.readTensor(deflated, "x", DType.FLOAT64);
      assertArrayEquals(new double[] {-1.25, -0.75, -0.25, 0.25, 0.75, 1.25}, Torch.toDoubles(x), 0.0);
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npz.read(deflated, "y"));
    assertTrue(e.getMessage().contains("no array 'y'") && e.getMessage().contains("[x, u]"), e.getMessage());
  }

  @Test
  void writesArchivesThatReadBackBitExactly() throws IOException {
    for (boolean compressed : new boolean[] {false, true}) {
      try (PointerScope s = new PointerScope()) {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("samples", Torch.randn(new long[] {4, 2}, Torch.generator(1), Torch.options(DType.FLOAT32)));
        arrays.put("nats", Torch.randn(new long[] {4}, Torch.generator(2), Torch.options(DType.FLOAT64)));
        Path f = dir.resolve("out" + compressed + ".npz");
        Npz.write(f, arrays, compressed);
        assertEquals(List.of("samples", "nats"), Npz.names(f));
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
          assertArrayEquals(Npy.toBytes(a.getValue()), Npy.toBytes(Npz.readTensor(f, a.getKey())));
        }
      }
    }
  }

  @Test
  void rejectsAFileThatIsNotAZip() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npz.read(NpyTest.fixture("f64_4.npy")));
    assertTrue(e.getMessage().contains("f64_4.npy") && e.getMessage().contains(".npz"), e.getMessage());
  }
}
