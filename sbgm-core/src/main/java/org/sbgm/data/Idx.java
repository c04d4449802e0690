package org.sbgm.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.io.DeclaredSize;
import org.sbgm.torch.Torch;

/**
 * Reads the IDX format of MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/), plain or gzip
 * (detected by its magic bytes 1f 8b). A file is a big-endian magic {@code 00 00 TT NN} (TT the
 * element type, NN the number of dimensions), NN big-endian int32 dimensions and the data in C
 * order. Unsigned bytes (TT = 08: {@code 0x00000803} images, {@code 0x00000801} labels) become uint8
 * tensors; the other types (09 int8, 0B int16, 0C int32, 0D float32, 0E float64) become float64.
 */
public final class Idx {
  private Idx() {}

  /**
   * The whole array with its own shape. The announced shape is checked before any data are read: its
   * size must fit one array and, for a plain file, equal the bytes that follow the header; a truncated
   * or corrupt gzip stream is refused naming the file.
   */
  public static Tensor read(Path file) throws IOException {
    boolean gzip = isGzip(file);
    try (DataInputStream in = new DataInputStream(open(file, gzip))) {
      return read(in, file, gzip ? -1 : Files.size(file));
    } catch (java.util.zip.ZipException | EOFException e) {
      throw new InvalidInputException("File '" + file + "' is not a valid gzip stream (" + e.getMessage()
          + "); expected an IDX file, gzip-compressed or not.", e);
    }
  }

  private static Tensor read(DataInputStream in, Path file, long length) throws IOException {
    int magic = readInt(in, file);
    int type = (magic >>> 8) & 0xff;
    int ndim = magic & 0xff;
    int size = switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> -1;
    };
    if ((magic >>> 16) != 0 || size < 0 || ndim == 0) {
      throw new InvalidInputException("File '" + file + "' is not an IDX file: its magic number is 0x"
          + String.format("%08x", magic) + ", expected 0x000008NN for unsigned-byte data (0x00000803 images, 0x00000801 labels).");
    }
    long[] shape = new long[ndim];
    for (int d = 0; d < ndim; d++) {
      shape[d] = readInt(in, file) & 0xffffffffL;
    }
    long available = length < 0 ? -1 : length - 4L * (ndim + 1);
    long nbytes = DeclaredSize.arrayBytes(shape, size, available, "File '" + file + "'", Arrays.toString(shape));
    byte[] bytes = in.readNBytes((int) nbytes);
    if (bytes.length < nbytes) {
      throw new InvalidInputException("File '" + file + "' is truncated: shape " + Arrays.toString(shape) + " needs "
          + nbytes + " data bytes but only " + bytes.length + " follow.");
    }
    if (in.read() != -1) {
      throw new InvalidInputException("File '" + file + "' has bytes after the " + nbytes + " data bytes of shape "
          + Arrays.toString(shape) + "; expected the file to end there.");
    }
    Torch.init();
    if (type == 0x08) {
      Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Byte), null);
      if (bytes.length > 0) {
        new BytePointer(t.data_ptr()).put(bytes, 0, bytes.length);
      }
      return t;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian
    double[] v = new double[bytes.length / size];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (type) {
        case 0x09 -> b.get(i);
        case 0x0B -> b.getShort(2 * i);
        case 0x0C -> b.getInt(4 * i);
        case 0x0D -> b.getFloat(4 * i);
        default -> b.getDouble(8 * i);
      };
    }
    return Torch.tensor(v, shape);
  }

  /** Images ({@code 0x00000803}, shape [N, H, W]) as a uint8 tensor {@code [N, 1, H, W]}. */
  public static Tensor readImages(Path file) throws IOException {
    Tensor t = read(file);
    if (t.dim() != 3 || t.scalar_type().intern() != torch.ScalarType.Byte) {
      throw new InvalidInputException("File '" + file + "' holds a " + t.dim() + "-d " + t.scalar_type().intern()
          + " array; expected unsigned-byte images [N, H, W] (magic 0x00000803).");
    }
    return t.unsqueeze(1);
  }

  /** Labels ({@code 0x00000801}, shape [N]) as an int64 tensor {@code [N]}. */
  public static Tensor readLabels(Path file) throws IOException {
    Tensor t = read(file);
    if (t.dim() != 1 || t.scalar_type().intern() != torch.ScalarType.Byte) {
      throw new InvalidInputException("File '" + file + "' holds a " + t.dim() + "-d " + t.scalar_type().intern()
          + " array; expected unsigned-byte labels [N] (magic 0x00000801).");
    }
    return t.to(torch.ScalarType.Long);
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static InputStream open(Path file, boolean gzip) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
  }

  private static int readInt(DataInputStream in, Path file) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new InvalidInputException("File '" + file + "' is truncated inside its IDX header.");
    }
  }
}
