package org.sbgm.torch;

import java.io.ByteArrayOutputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.ArchiveWriter;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;

/**
 * libtorch's serialized archives (the zip container of {@code torch::save}) to and from Java bytes,
 * so a file format can wrap one (a checkpoint's checksummed container) and still be written by the
 * library's one atomic writer.
 */
public final class Archives {
  private Archives() {}

  /** The bytes {@code archive.save_to(file)} would write (libtorch streams them through a callback). */
  public static byte[] toBytes(OutputArchive archive) {
    Torch.init();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ArchiveWriter writer = new ArchiveWriter() {
      @Override
      public long call(Pointer data, long size) {
        byte[] chunk = new byte[Math.toIntExact(size)];
        new BytePointer(data).capacity(size).get(chunk);
        bytes.write(chunk, 0, chunk.length);
        return size;
      }
    };
    try {
      archive.save_to(writer);
    } finally {
      writer.close();
    }
    return bytes.toByteArray();
  }

  /**
   * Parses {@code bytes} as an archive (the caller owns and closes it).
   *
   * @throws RuntimeException libtorch's error when the bytes are not an archive
   */
  public static InputArchive fromBytes(byte[] bytes) {
    Torch.init();
    InputArchive in = new InputArchive();
    try (BytePointer data = new BytePointer(bytes.length)) {
      data.put(bytes);
      in.load_from(data, bytes.length);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
    return in;
  }
}
