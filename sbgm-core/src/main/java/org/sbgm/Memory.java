package org.sbgm;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Up-front size checks: a count that must fit a Java array (an int) and memory a run would need, compared with
 * what the Java heap may grow to ({@code -Xmx}, for Java arrays) or this machine's physical memory (for
 * libtorch tensors). A size that cannot fit is refused with one sentence, naming what needs it, before
 * anything is allocated; sizes are doubles so that products of large counts cannot overflow.
 */
public final class Memory {
  /** The most elements of a Java array (a little below {@link Integer#MAX_VALUE}, as the JVM allows). */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private Memory() {}

  /** The bytes the Java heap may grow to. */
  public static long heap() {
    return Runtime.getRuntime().maxMemory();
  }

  /** This machine's physical memory in bytes ({@link Long#MAX_VALUE} where the JVM cannot tell). */
  public static long physical() {
    try {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        long total = os.getTotalMemorySize();
        return total > 0 ? total : Long.MAX_VALUE;
      }
    } catch (RuntimeException | LinkageError e) {
      // fall through: unknown
    }
    return Long.MAX_VALUE;
  }

  /** A byte count as "44.7 GiB", "512.0 MiB", "12 bytes". */
  public static String format(double bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
      return String.format(Locale.ROOT, "%.0f bytes", bytes);
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 1e4 ? "%.3g %s" : "%.1f %s", v, units[u]);
  }

  /**
   * Refuses {@code count} elements of one Java array above {@link #MAX_ARRAY}.
   *
   * @param what what the count is, e.g. "the grid of 46341^2 points", for the message
   * @throws InvalidInputException "WHAT is more than the 2147483639 elements a Java array can hold"
   */
  public static void checkArray(String what, double count) {
    if (!(count <= MAX_ARRAY)) {
      throw new InvalidInputException(what + " is more than the " + MAX_ARRAY + " elements a Java array can hold");
    }
  }

  /**
   * Refuses {@code bytes} of Java arrays above what the heap may grow to.
   *
   * @throws InvalidInputException "WHAT would need 44.7 GiB of memory, more than the 5.9 GiB the Java heap may use (-Xmx)"
   */
  public static void checkHeap(String what, double bytes) {
    long limit = heap();
    if (!(bytes <= limit)) {
      throw new InvalidInputException(what + " would need " + format(bytes) + " of memory, more than the " + format(limit)
          + " the Java heap may use (-Xmx)");
    }
  }

  /**
   * Refuses {@code bytes} of tensors above this machine's physical memory.
   *
   * @throws InvalidInputException "WHAT would need 44.7 GiB of memory, more than the 23.4 GiB this machine has"
   */
  public static void checkPhysical(String what, double bytes) {
    long limit = physical();
    if (!(bytes <= limit)) {
      throw new InvalidInputException(what + " would need " + format(bytes) + " of memory, more than the " + format(limit)
          + " this machine has");
    }
  }
}
