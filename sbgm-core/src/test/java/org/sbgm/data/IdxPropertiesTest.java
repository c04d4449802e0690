package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.io.RandomArrays;
import org.sbgm.io.ReaderFaults;
import org.sbgm.torch.Torch;

/**
 * Properties of the IDX reader: random bytes (plain or gzip) and random damage to valid files are read
 * or refused with the library's input error naming the file, never anything else; arrays of every IDX
 * element type and shape (unsigned and signed bytes, int16, int32, float32, float64) decode exactly.
 */
@SuppressWarnings("try")
class IdxPropertiesTest {
  private static final Path DIR;
  /** The IDX element types: code and size. */
  private static final int[][] TYPES = {{0x08, 1}, {0x09, 1}, {0x0B, 2}, {0x0C, 4}, {0x0D, 4}, {0x0E, 8}};

  static {
    Torch.init();
    DIR = ReaderFaults.scratchDirectory("idx-properties");
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    ReaderFaults.deleteScratch(DIR);
  }

  @Provide
  Arbitrary<RandomArrays.Array> arrays() {
    return Arbitraries.of(TYPES).flatMap(t -> RandomArrays.array(Integer.toString(t[0]), t[1], 1));
  }

  @Provide
  Arbitrary<List<RandomArrays.Mutation>> mutations() {
    return RandomArrays.mutations();
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    return Arbitraries.oneOf(RandomArrays.bytesAfter(new byte[] {0, 0, 8, 3}), RandomArrays.bytesAfter(new byte[] {0x1f, (byte) 0x8b}));
  }

  /** The IDX file of {@code a}: magic, big-endian dimensions, the elements big-endian. */
  static byte[] encode(RandomArrays.Array a) {
    int type = Integer.parseInt(a.descr());
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.shape().length + a.bytes().length);
    b.putInt((type << 8) | a.shape().length);
    for (long s : a.shape()) {
      b.putInt((int) s);
    }
    b.put(a.bytes());
    return b.array();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  /** The value of element i of {@code a} (its bytes big-endian). */
  static double value(RandomArrays.Array a, int i) {
    ByteBuffer b = ByteBuffer.wrap(a.bytes());
    return switch (Integer.parseInt(a.descr())) {
      case 0x08 -> b.get(i) & 0xff;
      case 0x09 -> b.get(i);
      case 0x0B -> b.getShort(2 * i);
      case 0x0C -> b.getInt(4 * i);
      case 0x0D -> b.getFloat(4 * i);
      default -> b.getDouble(8 * i);
    };
  }

  private static void read(Path file) throws Exception {
    try (PointerScope scope = new PointerScope()) {
      Idx.read(file);
    }
  }

  private static Path file(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(DIR, "x", "-idx3-ubyte"), bytes);
  }

  @Property(tries = 150)
  void randomBytesAreReadOrRefused(@ForAll("garbage") byte[] bytes) throws IOException {
    Path f = file(bytes);
    try {
      ReaderFaults.succeedsOrRefuses(f.getFileName().toString(), () -> read(f));
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 150)
  void damagedFilesAreReadOrRefused(@ForAll("arrays") RandomArrays.Array a, @ForAll boolean zipped,
      @ForAll("mutations") List<RandomArrays.Mutation> damage) throws IOException {
    byte[] valid = zipped ? gzip(encode(a)) : encode(a);
    Path f = file(RandomArrays.apply(damage, valid));
    try {
      ReaderFaults.succeedsOrRefuses(f.getFileName().toString(), () -> read(f));
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 150)
  void everyTypeAndShapeDecodesExactly(@ForAll("arrays") RandomArrays.Array a, @ForAll boolean zipped) throws IOException {
    Path f = file(zipped ? gzip(encode(a)) : encode(a));
    try (PointerScope scope = new PointerScope()) {
      Tensor t = Idx.read(f);
      assertArrayEquals(a.shape(), Torch.shape(t));
      boolean bytes = Integer.parseInt(a.descr()) == 0x08;
      assertEquals(bytes ? torch.ScalarType.Byte : torch.ScalarType.Double, t.scalar_type().intern());
      double[] got = Torch.toDoubles(t.to(torch.ScalarType.Double));
      for (int i = 0; i < got.length; i++) {
        double want = value(a, i);
        int k = i;
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got[i]),
            () -> "element " + k + ": expected " + want + ", got " + got[k]);
      }
    } finally {
      Files.delete(f);
    }
  }
}
