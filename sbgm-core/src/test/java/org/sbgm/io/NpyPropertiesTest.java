package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Properties of the .npy reader: random bytes and random damage to valid files are read or refused with
 * the library's input error naming the file, never anything else; arrays of every supported dtype and
 * shape round-trip bit for bit.
 */
@SuppressWarnings("try")
class NpyPropertiesTest {
  static {
    Torch.init();
  }

  @Provide
  Arbitrary<RandomArrays.Array> arrays() {
    return RandomArrays.npyArrays();
  }

  @Provide
  Arbitrary<List<RandomArrays.Mutation>> mutations() {
    return RandomArrays.mutations();
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    return RandomArrays.bytesAfter(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
  }

  private static void read(byte[] bytes) throws Exception {
    try (PointerScope scope = new PointerScope()) {
      Npy.Raw raw = Npy.read(new ByteArrayInputStream(bytes), "x.npy", bytes.length);
      raw.toTensor();
      raw.toArray();
    }
  }

  @Property
  void randomBytesAreReadOrRefused(@ForAll("garbage") byte[] bytes) {
    ReaderFaults.succeedsOrRefuses("x.npy", () -> read(bytes));
  }

  @Property
  void damagedFilesAreReadOrRefused(@ForAll("arrays") RandomArrays.Array a, @ForAll("mutations") List<RandomArrays.Mutation> damage) {
    byte[] valid;
    try (PointerScope scope = new PointerScope()) {
      valid = Npy.toBytes(ReaderFaults.tensor(NpyDtype.parse(a.descr(), "test").scalarType, a.shape(), a.bytes()));
    }
    ReaderFaults.succeedsOrRefuses("x.npy", () -> read(RandomArrays.apply(damage, valid)));
  }

  @Property
  void everyDtypeAndShapeRoundTripsBitForBit(@ForAll("arrays") RandomArrays.Array a) throws Exception {
    try (PointerScope scope = new PointerScope()) {
      NpyDtype type = NpyDtype.parse(a.descr(), "test");
      byte[] file = Npy.toBytes(ReaderFaults.tensor(type.scalarType, a.shape(), a.bytes()));
      Npy.Raw raw = Npy.read(new ByteArrayInputStream(file), "x.npy", file.length);
      assertEquals(a.descr(), raw.header().descr());
      assertArrayEquals(a.shape(), raw.header().shape());
      assertEquals(0, raw.header().size() % 64, "the data start on a 64-byte boundary");
      Tensor back = raw.toTensor();
      assertEquals(type.scalarType, back.scalar_type().intern());
      assertArrayEquals(a.shape(), Torch.shape(back));
      assertArrayEquals(a.bytes(), ReaderFaults.bytes(back));
      assertArrayEquals(file, Npy.toBytes(back), "writing what was read gives the same file");
    }
  }
}
