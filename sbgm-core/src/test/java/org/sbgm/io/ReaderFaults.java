package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** What the property tests of the readers assert, and tensors from raw bytes. */
public final class ReaderFaults {
  private ReaderFaults() {}

  /** Something that reads a file. */
  public interface Read {
    void run() throws Exception;
  }

  /**
   * Runs {@code read}: it may succeed, or throw the library's input error with a one-line message that
   * names {@code name}; anything else (another exception, an error, an allocation attempt that fails) fails.
   */
  public static void succeedsOrRefuses(String name, Read read) {
    try {
      read.run();
    } catch (InvalidInputException e) {
      String m = e.getMessage();
      assertTrue(m != null && m.contains(name), () -> "the message does not name " + name + ": " + m);
      assertFalse(m.contains("\n"), () -> "the message is not one line: " + m);
    } catch (Throwable t) {
      fail("expected success or an InvalidInputException, got " + t, t);
    }
  }

  /** A fresh temporary folder for the files of a property test (jqwik has no {@code @TempDir}). */
  public static java.nio.file.Path scratchDirectory(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a {@link #scratchDirectory} with the files left in it. */
  public static void deleteScratch(java.nio.file.Path dir) throws java.io.IOException {
    try (var s = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) s::iterator) {
        java.nio.file.Files.delete(p);
      }
    }
    java.nio.file.Files.delete(dir);
  }

  /** A CPU tensor of {@code type} and {@code shape} holding exactly {@code bytes} (little-endian host). */
  public static Tensor tensor(torch.ScalarType type, long[] shape, byte[] bytes) {
    Torch.init();
    Tensor t = torch.empty(shape, new TensorOptions(type), null);
    if (bytes.length > 0) {
      new BytePointer(t.data_ptr()).put(bytes, 0, bytes.length);
    }
    return t;
  }

  /** The raw bytes of a contiguous CPU tensor. */
  public static byte[] bytes(Tensor t) {
    Tensor c = t.contiguous();
    byte[] out = new byte[Math.toIntExact(c.numel() * c.element_size())];
    if (out.length > 0) {
      new BytePointer(c.data_ptr()).get(out, 0, out.length);
    }
    return out;
  }
}
