package org.sbgm.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Reads and writes NumPy's {@code .npy} format
 * (<a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>).
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0 and the little-endian dtypes {@code <f4},
 * {@code <f8}, {@code |u1}, {@code |i1}, {@code <i4}, {@code <i8} in C order. A file that is not
 * valid {@code .npy} (bad magic, truncated, malformed header, bytes after the data), and a valid file
 * this reader does not support (Fortran order, big-endian or other dtypes), raise an
 * {@link org.sbgm.InvalidInputException} naming the file; an {@link IOException} is a failure to read it.
 *
 * <p>Writing produces version 1.0 byte-for-byte as NumPy 1.23+ does (header padded so the data
 * starts on a 64-byte boundary), atomically through {@link AtomicFiles}.
 */
public final class Npy {
  private Npy() {}

  /** A parsed file: its header and its raw little-endian data bytes. */
  record Raw(NpyHeader header, byte[] bytes, String source) {
    NdArray toArray() {
      NpyDtype d = header.dtype();
      if (header.count() > Integer.MAX_VALUE - 16) {
        throw new InvalidInputException("File '" + source + "' holds " + header.count() + " values, more than an NdArray"
            + " can hold; read it with readTensor instead.");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      double[] data = new double[(int) header.count()];
      for (int i = 0; i < data.length; i++) {
        data[i] = d.get(b, i);
        if (d == NpyDtype.INT64 && (long) data[i] != b.getLong(i * 8)) {
          throw new InvalidInputException("File '" + source + "' holds the int64 value " + b.getLong(i * 8)
              + " at flat index " + i + ", which a double cannot represent exactly; use readTensor instead.");
        }
      }
      return new NdArray(d.descr, header.shape(), data);
    }

    Tensor toTensor() {
      Torch.init();
      requireLittleEndianHost();
      Tensor t = torch.empty(header.shape(), new TensorOptions(header.dtype().scalarType), null);
      if (bytes.length > 0) {
        new BytePointer(t.data_ptr()).put(bytes, 0, bytes.length);
      }
      return t;
    }
  }

  /** Reads a {@code .npy} file into an {@link NdArray}. */
  public static NdArray read(Path file) throws IOException {
    return readRaw(file).toArray();
  }

  /** Reads a {@code .npy} file into a CPU tensor of its own element type (uint8 stays uint8). */
  public static Tensor readTensor(Path file) throws IOException {
    return readRaw(file).toTensor();
  }

  /** Reads a {@code .npy} file into a CPU tensor converted to {@code dtype}. */
  public static Tensor readTensor(Path file, DType dtype) throws IOException {
    Tensor t = readTensor(file);
    return t.to(dtype.scalarType());
  }

  static Raw readRaw(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      return read(new java.io.BufferedInputStream(in, 1 << 16), file.toString(), size);
    }
  }

  /**
   * Parses a whole {@code .npy} stream ({@code source} names it in messages) of {@code length} bytes, or of
   * unknown length when negative. The header's shape is checked against the limit of one array and against
   * {@code length} before the data are read.
   */
  static Raw read(InputStream in, String source, long length) throws IOException {
    NpyHeader header = NpyHeader.read(in, source);
    long available = length < 0 ? -1 : Math.max(0, length - header.size());
    String shape = NpyHeader.pythonShape(header.shape()) + " of '" + header.descr() + "'";
    long nbytes = DeclaredSize.arrayBytes(header.shape(), header.dtype().itemSize, available, "File '" + source + "'", shape);
    byte[] bytes = in.readNBytes((int) nbytes);
    if (bytes.length < nbytes) {
      throw new InvalidInputException("File '" + source + "' is truncated: its header announces shape " + shape + " ("
          + nbytes + " data bytes) but only " + bytes.length + " follow.");
    }
    if (in.read() != -1) {
      throw new InvalidInputException("File '" + source + "' has bytes after the " + nbytes
          + " data bytes its header announces; expected the file to end there.");
    }
    return new Raw(header, bytes, source);
  }

  /** Writes {@code t} (float32, float64, uint8, int8, int32 or int64; any device) as a {@code .npy} file. */
  public static void write(Path file, Tensor t) throws IOException {
    byte[] bytes = toBytes(t);
    AtomicFiles.write(file, bytes);
  }

  /** Writes {@code a} as a {@code .npy} file of its dtype ({@code <f4} or {@code <f8}). */
  public static void write(Path file, NdArray a) throws IOException {
    AtomicFiles.write(file, toBytes(a));
  }

  /** Writes float64 values with {@code shape}. */
  public static void write(Path file, double[] data, long... shape) throws IOException {
    write(file, NdArray.of(data, shape));
  }

  /**
   * Writes rows of equal length (draws {@code [n][P]}, say) as one float64 array {@code [n, P]}.
   *
   * @throws IllegalArgumentException when there are no rows or their lengths differ
   */
  public static void write(Path file, double[][] rows) throws IOException {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no rows to write to " + file);
    }
    int p = rows[0].length;
    double[] flat = new double[Math.multiplyExact(rows.length, p)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != p) {
        throw new IllegalArgumentException("row " + i + " holds " + rows[i].length + " values, row 0 holds " + p);
      }
      System.arraycopy(rows[i], 0, flat, i * p, p);
    }
    write(file, flat, rows.length, p);
  }

  /** Writes float32 values with {@code shape}. */
  public static void write(Path file, float[] data, long... shape) throws IOException {
    write(file, NdArray.ofFloats(data, shape));
  }

  /**
   * Refuses an array of {@code elements} values of {@code itemSize} bytes that one .npy file written here cannot
   * hold (its bytes are one Java array, at most {@link org.sbgm.Memory#MAX_ARRAY}) or the Java heap cannot.
   *
   * @param what the array, e.g. "--n × --size² = 3 × 256 values", for the message
   * @throws InvalidInputException naming it and its size
   */
  public static void checkWritable(String what, double elements, int itemSize) {
    double bytes = elements * itemSize + 1024;
    if (!(bytes <= org.sbgm.Memory.MAX_ARRAY)) {
      throw new InvalidInputException(what + " would make an array of " + org.sbgm.Memory.format(bytes) + ", more than the "
          + org.sbgm.Memory.format(org.sbgm.Memory.MAX_ARRAY) + " one .npy file or .npz member can hold here");
    }
    org.sbgm.Memory.checkHeap(what, 2 * bytes);
  }

  /** The complete {@code .npy} bytes of a tensor. */
  public static byte[] toBytes(Tensor t) {
    Torch.init();
    requireLittleEndianHost();
    NpyDtype d = NpyDtype.of(t.scalar_type());
    Tensor c = t.detach().cpu().contiguous();
    long[] shape = Torch.shape(c);
    byte[] header = NpyHeader.encode(d.descr, shape);
    long nbytes = c.numel() * d.itemSize;
    if (header.length + nbytes > Integer.MAX_VALUE - 16) {
      throw new InvalidInputException("tensor of shape " + java.util.Arrays.toString(shape)
          + " is larger than the 2 GiB this writer supports");
    }
    byte[] out = java.util.Arrays.copyOf(header, header.length + (int) nbytes);
    if (nbytes > 0) {
      new BytePointer(c.data_ptr()).get(out, header.length, (int) nbytes);
    }
    return out;
  }

  /** The complete {@code .npy} bytes of an array whose dtype is {@code <f4} or {@code <f8}. */
  public static byte[] toBytes(NdArray a) {
    boolean f32 = a.dtype().equals("<f4");
    if (!f32 && !a.dtype().equals("<f8")) {
      throw new InvalidInputException("NdArray dtype '" + a.dtype() + "' cannot be written; expected '<f4' or '<f8'");
    }
    byte[] header = NpyHeader.encode(a.dtype(), a.shape());
    ByteBuffer b = ByteBuffer.allocate(header.length + a.size() * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (double v : a.data()) {
      if (f32) {
        b.putFloat((float) v);
      } else {
        b.putDouble(v);
      }
    }
    return b.array();
  }

  private static void requireLittleEndianHost() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("this .npy implementation needs a little-endian host");
    }
  }
}
