package org.sbgm.io;

import org.sbgm.InvalidInputException;

/**
 * Sizes that a file's header announces, checked before anything is allocated for them: the product of
 * the dimensions without overflow, no more than {@link #MAX_BYTES} per array, and no more than the bytes
 * that actually follow the header when the reader knows them. A header that claims 10^12 elements in a
 * file of a few bytes is refused at once, naming the file, instead of attempting the allocation.
 *
 * <p>Every reader of the library goes through these checks: {@link Npy} (and the members of
 * {@link Npz}), {@code data.Idx} and {@code data.ImageFolder}.
 */
public final class DeclaredSize {
  /** The most bytes one array may hold: the largest Java byte array (2 GiB less a little). */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 16;

  private DeclaredSize() {}

  /**
   * The number of elements of {@code shape}, refusing a negative dimension or a product beyond 2^63.
   *
   * @param source how messages name the file, e.g. {@code File 'x.npy'}
   * @param shapeText the shape as the format writes it, for messages
   */
  public static long elements(long[] shape, String source, String shapeText) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new InvalidInputException(source + " announces shape " + shapeText + " with a negative dimension.");
      }
      try {
        n = Math.multiplyExact(n, s);
      } catch (ArithmeticException e) {
        throw new InvalidInputException(source + " announces shape " + shapeText + ", more than 2^63 elements;"
            + " expected an array of at most " + MAX_BYTES + " bytes.");
      }
    }
    return n;
  }

  /**
   * The data bytes of an array of {@code shape} with {@code itemSize}-byte elements, refusing more than
   * {@link #MAX_BYTES} and, when {@code available} is not negative, more or fewer than the
   * {@code available} bytes that follow the header.
   */
  public static long arrayBytes(long[] shape, int itemSize, long available, String source, String shapeText) {
    long n = elements(shape, source, shapeText);
    if (n > MAX_BYTES / itemSize) {
      throw new InvalidInputException(source + " announces shape " + shapeText + " (" + itemSize + "-byte values), "
          + bytesText(n, itemSize) + "; at most " + MAX_BYTES + " bytes (2 GiB) per array are supported.");
    }
    long bytes = n * itemSize;
    if (available >= 0 && bytes > available) {
      throw new InvalidInputException(source + " is truncated: its header announces shape " + shapeText + " ("
          + bytes + " data bytes) but only " + available + " follow.");
    }
    if (available >= 0 && bytes < available) {
      throw new InvalidInputException(source + " has " + (available - bytes) + " bytes after the " + bytes
          + " data bytes its header announces (shape " + shapeText + "); expected the file to end there.");
    }
    return bytes;
  }

  private static String bytesText(long n, int itemSize) {
    return Math.multiplyHigh(n, itemSize) != 0 || n * itemSize < 0 ? "more than 2^63 bytes"
        : (n * itemSize) + " bytes";
  }
}
