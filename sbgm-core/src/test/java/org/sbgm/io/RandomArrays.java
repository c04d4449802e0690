package org.sbgm.io;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of arrays (element type, shape, raw bytes) and of mutations of valid files. */
public final class RandomArrays {
  private RandomArrays() {}

  /**
   * An array: its element size in bytes, its shape and its raw little-endian bytes, any bit pattern
   * (NaNs with payloads, infinities and subnormals included).
   *
   * @param descr the NumPy dtype ({@code <f4}, ...), or an IDX type code for IDX arrays
   */
  public record Array(String descr, int itemSize, long[] shape, byte[] bytes) {
    public long count() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }

    @Override
    public String toString() {
      return descr + java.util.Arrays.toString(shape);
    }
  }

  /** The NumPy dtypes the .npy reader supports, with their item sizes. */
  static final List<String> NPY_DTYPES = List.of("<f4", "<f8", "|u1", "|i1", "<i4", "<i8");

  /** Shapes of rank 0 to 4 with dimensions 0 to 6 (at most a few hundred elements). */
  public static Arbitrary<long[]> shapes(int minRank) {
    return Arbitraries.longs().between(0, 6).array(long[].class).ofMinSize(minRank).ofMaxSize(4);
  }

  /** Random arrays of every .npy dtype. */
  public static Arbitrary<Array> npyArrays() {
    return Arbitraries.of(NPY_DTYPES).flatMap(d -> array(d, Integer.parseInt(d.substring(2)), 0));
  }

  /** A random array of {@code descr} with {@code itemSize}-byte elements and rank at least {@code minRank}. */
  public static Arbitrary<Array> array(String descr, int itemSize, int minRank) {
    return shapes(minRank).flatMap(shape -> {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return Arbitraries.bytes().array(byte[].class).ofSize((int) (n * itemSize)).map(b -> new Array(descr, itemSize, shape, b));
    });
  }

  /** A mutation of a file's bytes. */
  public interface Mutation {
    byte[] apply(byte[] valid);
  }

  /**
   * Random damage: truncation, a flipped bit, an overwritten byte, inserted or deleted bytes, bytes appended,
   * or several of these, placed anywhere (with a bias towards the first 128 bytes, the headers).
   */
  public static Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Boolean> header = Arbitraries.of(true, false);
    Arbitrary<Mutation> one = Arbitraries.oneOf(
        Combinators.combine(where, header).as((w, h) -> (Mutation) b -> java.util.Arrays.copyOf(b, at(b, w, h))),
        Combinators.combine(where, header, Arbitraries.integers().between(0, 7)).as((w, h, bit) -> (Mutation) b -> {
          byte[] c = b.clone();
          if (c.length > 0) {
            int i = Math.min(c.length - 1, at(c, w, h));
            c[i] ^= (byte) (1 << bit);
          }
          return c;
        }),
        Combinators.combine(where, header, Arbitraries.bytes()).as((w, h, v) -> (Mutation) b -> {
          byte[] c = b.clone();
          if (c.length > 0) {
            c[Math.min(c.length - 1, at(c, w, h))] = v;
          }
          return c;
        }),
        Combinators.combine(where, header, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(9)).as((w, h, ins) -> (Mutation) b -> {
          int i = at(b, w, h);
          byte[] c = new byte[b.length + ins.length];
          System.arraycopy(b, 0, c, 0, i);
          System.arraycopy(ins, 0, c, i, ins.length);
          System.arraycopy(b, i, c, i + ins.length, b.length - i);
          return c;
        }),
        Combinators.combine(where, header, Arbitraries.integers().between(1, 9)).as((w, h, k) -> (Mutation) b -> {
          int i = at(b, w, h);
          int n = Math.min(k, b.length - i);
          byte[] c = new byte[b.length - n];
          System.arraycopy(b, 0, c, 0, i);
          System.arraycopy(b, i + n, c, i, b.length - i - n);
          return c;
        }),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20).map(tail -> (Mutation) b -> {
          byte[] c = java.util.Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, c, b.length, tail.length);
          return c;
        }));
    return one.list().ofMinSize(1).ofMaxSize(3);
  }

  /** Applies every mutation in turn. */
  public static byte[] apply(List<Mutation> mutations, byte[] valid) {
    byte[] b = valid;
    for (Mutation m : mutations) {
      b = m.apply(b);
    }
    return b;
  }

  private static int at(byte[] b, double where, boolean header) {
    int span = header ? Math.min(b.length, 128) : b.length;
    return (int) Math.min(b.length, Math.floor(where * (span + 1)));
  }

  /** Random bytes, half of them starting with {@code prefix} (a format's magic), so parsing gets past it. */
  public static Arbitrary<byte[]> bytesAfter(byte[] prefix) {
    Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Combinators.combine(Arbitraries.of(true, false), tail).as((p, t) -> {
      if (!p) {
        return t;
      }
      List<Byte> all = new ArrayList<>();
      for (byte x : prefix) {
        all.add(x);
      }
      for (byte x : t) {
        all.add(x);
      }
      byte[] out = new byte[all.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = all.get(i);
      }
      return out;
    });
  }
}
