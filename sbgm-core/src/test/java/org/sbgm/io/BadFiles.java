package org.sbgm.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hand-made file bytes for the tests of malformed input: .npy files with any header text, zip archives
 * whose declared sizes can be forged, IDX files with any magic and dimensions, PNG headers of any size.
 * The library's tests and the CLI's malformed-input corpus are built from these.
 */
public final class BadFiles {
  private BadFiles() {}

  /** A version-1.0 .npy file with header {@code dict} (padded as NumPy pads it) followed by {@code data}. */
  public static byte[] npy(String dict, byte[] data) {
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    b.put(data);
    return b.array();
  }

  /** The usual header dict for {@code descr} and a shape written as Python writes it, e.g. {@code (3, 2)}. */
  public static String dict(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  }

  /** A zip archive of {@code (name, bytes)} pairs, stored or deflated. */
  public static byte[] zip(boolean deflate, Object... namesAndBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndBytes.length; i += 2) {
        byte[] bytes = (byte[]) namesAndBytes[i + 1];
        ZipEntry e = new ZipEntry((String) namesAndBytes[i]);
        e.setTime(315532800000L);
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(bytes);
          e.setMethod(ZipEntry.STORED);
          e.setSize(bytes.length);
          e.setCompressedSize(bytes.length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /**
   * {@code zip} with the uncompressed size of every entry (in the local headers and the central
   * directory) replaced by {@code declared}, an unsigned 32-bit value: what a forged or corrupt
   * archive announces.
   */
  public static byte[] forgeUncompressedSizes(byte[] zip, long declared) {
    byte[] out = zip.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= out.length; i++) {
      int sig = b.getInt(i);
      if (sig == 0x04034b50 && i + 26 <= out.length) { // local file header: size at +22
        b.putInt(i + 22, (int) declared);
      } else if (sig == 0x02014b50 && i + 28 <= out.length) { // central directory: size at +24
        b.putInt(i + 24, (int) declared);
      } else if (sig == 0x08074b50 && i + 16 <= out.length) { // data descriptor: size at +12
        b.putInt(i + 12, (int) declared);
      }
    }
    return out;
  }

  /** An IDX file: the magic, big-endian dimensions (unsigned 32-bit) and {@code data}. */
  public static byte[] idx(int magic, long[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (long d : dims) {
      b.putInt((int) d);
    }
    b.put(data);
    return b.array();
  }

  /**
   * The start of a PNG file announcing a {@code width} × {@code height} 8-bit grayscale image: the
   * signature, a correct IHDR chunk (with its CRC), an empty IDAT and IEND, but no pixels.
   */
  public static byte[] pngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[0]);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
