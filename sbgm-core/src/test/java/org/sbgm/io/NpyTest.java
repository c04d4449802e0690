package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class NpyTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsNumpyWrittenFixturesWithKnownValues() throws IOException {
    NdArray f32 = Npy.read(fixture("f32_3x2.npy"));
    assertEquals("<f4", f32.dtype());
    assertArrayEquals(new long[] {3, 2}, f32.shape());
    assertArrayEquals(new double[] {-1.25, -0.75, -0.25, 0.25, 0.75, 1.25}, f32.data(), 0.0);
    assertEquals(f32, Npy.read(fixture("f32_v2_3x2.npy")), "format version 2.0 reads the same array");
    byte[] v3 = Files.readAllBytes(fixture("f32_v2_3x2.npy"));
    v3[6] = 3; // 3.0 differs from 2.0 only in the header's text encoding (UTF-8)
    Path v3file = dir.resolve("v3.npy");
    Files.write(v3file, v3);
    assertEquals(f32, Npy.read(v3file), "format version 3.0 reads the same array");

    NdArray f64 = Npy.read(fixture("f64_4.npy"));
    assertArrayEquals(new long[] {4}, f64.shape());
    assertArrayEquals(new double[] {Math.PI, -Math.E, 1e-300, 12345.678}, f64.data(), 0.0);

    NdArray u8 = Npy.read(fixture("u8_2x3x3.npy"));
    assertEquals("|u1", u8.dtype());
    assertArrayEquals(new long[] {2, 3, 3}, u8.shape());
    for (int i = 0; i < 18; i++) {
      assertEquals((i * 13) % 256, u8.data()[i], 0.0);
    }
    assertArrayEquals(new double[] {-2, -1, 0, 1, 1L << 40}, Npy.read(fixture("i8_5.npy")).data(), 0.0);
    assertArrayEquals(new double[] {-7, 0, 3, 1 << 30}, Npy.read(fixture("i4_2x2.npy")).data(), 0.0);
  }

  @Test
  void readsFixturesAsTensorsInTheirOwnTypeOrConverted() throws IOException {
    try (PointerScope s = new PointerScope()) {
      Tensor u8 = Npy.readTensor(fixture("u8_2x3x3.npy"));
      assertEquals(torch.ScalarType.Byte, u8.scalar_type().intern());
      assertEquals(12 * 13 % 256, u8.get(1).get(1).get(0).item_long());
      Tensor f = Npy.readTensor(fixture("f32_3x2.npy"), DType.FLOAT64);
      assertEquals(torch.ScalarType.Double, f.scalar_type().intern());
      assertArrayEquals(new long[] {3, 2}, Torch.shape(f));
      assertEquals(0.75, f.get(2).get(0).item_double(), 0.0);
    }
  }

  @Test
  void writesTheSameBytesAsNumpy() throws IOException {
    for (String name : new String[] {"f32_3x2.npy", "f64_4.npy", "u8_2x3x3.npy", "i8_5.npy", "i4_2x2.npy"}) {
      try (PointerScope s = new PointerScope()) {
        byte[] numpy = Files.readAllBytes(fixture(name));
        assertArrayEquals(numpy, Npy.toBytes(Npy.readTensor(fixture(name))), name);
      }
    }
    assertArrayEquals(Files.readAllBytes(fixture("f64_4.npy")), Npy.toBytes(Npy.read(fixture("f64_4.npy"))));
    byte[] b = Npy.toBytes(NdArray.of(new double[] {1, 2, 3}, 3));
    assertEquals(0, (b.length - 24) % 64, "data starts on a 64-byte boundary");
  }

  @Test
  void roundTripsFloat32AndFloat64BitExactly() throws IOException {
    for (DType type : DType.values()) {
      try (PointerScope s = new PointerScope()) {
        Tensor t = Torch.randn(new long[] {5, 3, 7}, Torch.generator(3), Torch.options(type));
        t.view(-1).get(0).fill_(Torch.scalar(Double.NaN));
        t.view(-1).get(1).fill_(Torch.scalar(Double.NEGATIVE_INFINITY));
        t.view(-1).get(2).fill_(Torch.scalar(-0.0));
        t.view(-1).get(3).fill_(Torch.scalar(type == DType.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE));
        Path f = dir.resolve("t_" + type + ".npy");
        Npy.write(f, t);
        Tensor back = Npy.readTensor(f, type);
        assertArrayEquals(Torch.shape(t), Torch.shape(back));
        assertArrayEquals(Npy.toBytes(t), Npy.toBytes(back), "bit-exact for " + type);
        assertArrayEquals(Npy.toBytes(t), Files.readAllBytes(f));
      }
    }
    try (PointerScope s = new PointerScope()) {
      float[] v = {1.5f, Float.NaN, -0.0f, 3e-42f};
      Path f = dir.resolve("floats.npy");
      Npy.write(f, v, 2, 2);
      float[] back = Npy.read(f).toFloats();
      for (int i = 0; i < v.length; i++) {
        assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
      }
      Path scalar = dir.resolve("scalar.npy");
      Npy.write(scalar, new double[] {42}, new long[0]);
      assertEquals(0, Npy.readTensor(scalar).dim());
      assertEquals(42.0, Npy.readTensor(scalar).item_double(), 0.0);
      Path empty = dir.resolve("empty.npy");
      Npy.write(empty, new double[0], 0, 3);
      assertArrayEquals(new long[] {0, 3}, Torch.shape(Npy.readTensor(empty)));
    }
  }

  @Test
  void writesRowsAsOneFloat64Array() throws IOException {
    double[][] rows = {{1, -0.0, Double.NaN}, {4, 5, 6e-310}};
    Path f = dir.resolve("rows.npy");
    Npy.write(f, rows);
    NdArray back = Npy.read(f);
    assertArrayEquals(new long[] {2, 3}, back.shape());
    double[] v = back.data();
    for (int i = 0; i < 6; i++) {
      assertEquals(Double.doubleToRawLongBits(rows[i / 3][i % 3]), Double.doubleToRawLongBits(v[i]));
    }
    assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("ragged.npy"), new double[][] {{1, 2}, {3}}));
    assertTrue(Files.notExists(dir.resolve("ragged.npy")));
  }

  @Test
  void rejectsTruncatedFilesNamingTheFile() throws IOException {
    byte[] good = Files.readAllBytes(fixture("f32_3x2.npy"));
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, Arrays.copyOf(good, good.length - 3));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(cut));
    assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated")
        && e.getMessage().contains("24 data bytes") && e.getMessage().contains("21 follow"), e.getMessage());
    Path header = dir.resolve("header.npy");
    Files.write(header, Arrays.copyOf(good, 40));
    assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(header)).getMessage().contains("truncated"));
    Path extra = dir.resolve("extra.npy");
    Files.write(extra, Arrays.copyOf(good, good.length + 1));
    assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(extra)).getMessage().contains("bytes after"));
  }

  @Test
  void rejectsBadMagicAndMalformedHeaders() throws IOException {
    Path png = dir.resolve("image.npy");
    Files.write(png, "\u0089PNG\r\n not numpy".getBytes(StandardCharsets.ISO_8859_1));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(png));
    assertTrue(e.getMessage().contains("image.npy") && e.getMessage().contains("magic"), e.getMessage());

    byte[] good = Files.readAllBytes(fixture("f32_3x2.npy"));
    String text = new String(good, StandardCharsets.ISO_8859_1);
    Path broken = dir.resolve("broken.npy");
    Files.write(broken, text.replace("(3, 2)", "(3; 2)").getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(InvalidInputException.class, () -> Npy.read(broken));
    assertTrue(e.getMessage().contains("broken.npy") && e.getMessage().contains("malformed .npy header"), e.getMessage());
    Path noKey = dir.resolve("nokey.npy");
    Files.write(noKey, text.replace("'shape'", "'shapo'").getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(noKey)).getMessage().contains("shapo"));
  }

  @Test
  void rejectsFortranOrderAndBigEndianWithClearMessages() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(fixture("f64_fortran_2x3.npy")));
    assertTrue(e.getMessage().contains("f64_fortran_2x3.npy") && e.getMessage().contains("Fortran"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> Npy.readTensor(fixture("f4_big_endian_2.npy")));
    assertTrue(e.getMessage().contains("'>f4'") && e.getMessage().contains("big-endian"), e.getMessage());
  }
}
