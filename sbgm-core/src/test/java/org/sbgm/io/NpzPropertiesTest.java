package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Properties of the .npz reader: random bytes and random damage to valid archives (stored or deflated)
 * are read or refused with the library's input error naming the file, never anything else; archives of
 * arrays of every dtype and shape round-trip bit for bit.
 */
@SuppressWarnings("try")
class NpzPropertiesTest {
  private static final Path DIR;

  static {
    Torch.init();
    DIR = ReaderFaults.scratchDirectory("npz-properties");
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    ReaderFaults.deleteScratch(DIR);
  }

  @Provide
  Arbitrary<List<RandomArrays.Array>> archives() {
    return RandomArrays.npyArrays().list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<RandomArrays.Mutation>> mutations() {
    return RandomArrays.mutations();
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    return RandomArrays.bytesAfter(new byte[] {'P', 'K', 3, 4});
  }

  private static Path write(List<RandomArrays.Array> arrays, boolean compressed) throws IOException {
    Map<String, Tensor> named = new LinkedHashMap<>();
    for (int i = 0; i < arrays.size(); i++) {
      RandomArrays.Array a = arrays.get(i);
      named.put("a" + i, ReaderFaults.tensor(NpyDtype.parse(a.descr(), "test").scalarType, a.shape(), a.bytes()));
    }
    Path file = Files.createTempFile(DIR, "valid", ".npz");
    Npz.write(file, named, compressed);
    return file;
  }

  private static void readAll(Path file) throws Exception {
    try (PointerScope scope = new PointerScope()) {
      for (String name : Npz.names(file)) {
        Npz.readTensor(file, name);
      }
      Npz.read(file);
      Npz.readTensor(file, "a0");
    }
  }

  @Property(tries = 150)
  void randomBytesAreReadOrRefused(@ForAll("garbage") byte[] bytes) throws IOException {
    Path file = Files.write(Files.createTempFile(DIR, "garbage", ".npz"), bytes);
    try {
      ReaderFaults.succeedsOrRefuses(file.getFileName().toString(), () -> readAll(file));
    } finally {
      Files.delete(file);
    }
  }

  @Property(tries = 150)
  void damagedArchivesAreReadOrRefused(@ForAll("archives") List<RandomArrays.Array> arrays, @ForAll boolean compressed,
      @ForAll("mutations") List<RandomArrays.Mutation> damage) throws IOException {
    Path file;
    try (PointerScope scope = new PointerScope()) {
      file = write(arrays, compressed);
    }
    try {
      Files.write(file, RandomArrays.apply(damage, Files.readAllBytes(file)));
      ReaderFaults.succeedsOrRefuses(file.getFileName().toString(), () -> readAll(file));
    } finally {
      Files.delete(file);
    }
  }

  @Property(tries = 100)
  void arraysOfEveryDtypeAndShapeRoundTripBitForBit(@ForAll("archives") List<RandomArrays.Array> arrays,
      @ForAll boolean compressed) throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Path file = write(arrays, compressed);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < arrays.size(); i++) {
        names.add("a" + i);
      }
      assertEquals(names, Npz.names(file));
      for (int i = 0; i < arrays.size(); i++) {
        RandomArrays.Array a = arrays.get(i);
        Tensor back = Npz.readTensor(file, "a" + i);
        assertEquals(NpyDtype.parse(a.descr(), "test").scalarType, back.scalar_type().intern());
        assertArrayEquals(a.shape(), Torch.shape(back));
        assertArrayEquals(a.bytes(), ReaderFaults.bytes(back));
      }
      Files.delete(file);
    }
  }
}
