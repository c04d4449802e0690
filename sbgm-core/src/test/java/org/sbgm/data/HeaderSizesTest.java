package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.io.BadFiles;
import org.sbgm.torch.Torch;

/**
 * Sizes come from headers before any allocation: a header that claims far more elements than the file
 * holds, or more than one array can hold, is refused naming the file, and the refusal allocates next
 * to nothing (measured with the JVM's per-thread allocation counter).
 */
@SuppressWarnings("try")
class HeaderSizesTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  /** Reads {@code file} expecting a refusal with every fragment, allocating less than 4 MiB on the way. */
  private static void refusedWithoutAllocating(Path file, String... fragments) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    try (PointerScope scope = new PointerScope()) { // a first refusal loads the classes on its way
      assertThrows(InvalidInputException.class, () -> DataFiles.read(file, null, null));
    }
    long before = threads.getThreadAllocatedBytes(id);
    InvalidInputException e;
    try (PointerScope scope = new PointerScope()) {
      e = assertThrows(InvalidInputException.class, () -> DataFiles.read(file, null, null));
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < 4 << 20, file + ": the refusal allocated " + allocated + " bytes");
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
    }
  }

  @Test
  void npyHeadersClaimingHugeArraysAreRefusedFromTheHeader() throws Exception {
    Path trillion = Files.write(dir.resolve("trillion.npy"), BadFiles.npy(BadFiles.dict("<f4", false, "(1000000, 1000000)"), new byte[16]));
    refusedWithoutAllocating(trillion, "(1000000, 1000000)", "at most 2147483631 bytes");
    Path overflow = Files.write(dir.resolve("overflow.npy"),
        BadFiles.npy(BadFiles.dict("<f8", false, "(4294967296, 4294967296, 4294967296)"), new byte[0]));
    refusedWithoutAllocating(overflow, "more than 2^63 elements");
    Path digits = Files.write(dir.resolve("digits.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(99999999999999999999,)"), new byte[0]));
    refusedWithoutAllocating(digits, "malformed .npy header", "exceeds 2^63");
    // 1.6 GB announced, under the per-array limit, in a file of a few bytes: refused before reading
    Path short_ = Files.write(dir.resolve("short.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(200000000,)"), new byte[8]));
    refusedWithoutAllocating(short_, "truncated", "1600000000 data bytes", "only 8 follow");
  }

  @Test
  void npzMembersDeclaringAbsurdSizesAreRefusedFromTheDirectory() throws Exception {
    byte[] member = BadFiles.npy(BadFiles.dict("<f4", false, "(2,)"), new byte[8]);
    Path huge = Files.write(dir.resolve("huge.npz"), BadFiles.forgeUncompressedSizes(BadFiles.zip(true, "x.npy", member), 0xF0000000L));
    refusedWithoutAllocating(huge, "x.npy", "declares 4026531840 bytes");
    Path ratio = Files.write(dir.resolve("ratio.npz"), BadFiles.forgeUncompressedSizes(BadFiles.zip(true, "x.npy", member), 900_000_000L));
    refusedWithoutAllocating(ratio, "declares 900000000 bytes", "deflate cannot produce");
    Path stored = Files.write(dir.resolve("stored.npz"), BadFiles.forgeUncompressedSizes(BadFiles.zip(false, "x.npy", member), 900_000_000L));
    refusedWithoutAllocating(stored, "x.npy");
    byte[] claim = BadFiles.npy(BadFiles.dict("<f8", false, "(200000000,)"), new byte[8]);
    Path lying = Files.write(dir.resolve("lying.npz"), BadFiles.zip(true, "x.npy", claim));
    refusedWithoutAllocating(lying, "lying.npz!x.npy", "truncated", "1600000000 data bytes");
  }

  @Test
  void idxAndPngHeadersClaimingHugeArraysAreRefusedFromTheHeader() throws Exception {
    Path idx = Files.write(dir.resolve("huge-idx3-ubyte"), BadFiles.idx(0x00000803, new long[] {4294967295L, 4294967295L, 4294967295L}, new byte[4]));
    refusedWithoutAllocating(idx, "more than 2^63 elements");
    Path mnist = Files.write(dir.resolve("mnist-idx3-ubyte"), BadFiles.idx(0x00000803, new long[] {60000, 28, 28}, new byte[100]));
    refusedWithoutAllocating(mnist, "truncated", "47040000 data bytes", "only 100 follow");
    Path folder = Files.createDirectories(dir.resolve("pngs"));
    Files.write(folder.resolve("a.png"), BadFiles.pngHeader(100_000, 100_000));
    refusedWithoutAllocating(folder, "100000x100000");
  }
}
