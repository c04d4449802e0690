package org.sbgm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Reads and writes the safetensors format (Hugging Face, <a href="https://github.com/huggingface/safetensors">
 * github.com/huggingface/safetensors</a>): an unsigned little-endian 64-bit header length n, n bytes of
 * UTF-8 JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}},
 * then the tensors' raw little-endian C-order bytes, each at its offsets within the data area.
 *
 * <p>Reading checks the whole header first ({@link SafeTensorsHeader}: at most {@value #MAX_HEADER_BYTES}
 * bytes, every size against the dtype, shape and the file's length) and allocates the tensors only
 * then, so a truncated or inconsistent file is an {@link InvalidInputException} naming it and what
 * disagrees, before any memory is taken. Writing lays the tensors out as the Hugging Face writer does
 * (by decreasing dtype alignment in its {@code Dtype} order, then by name, the header padded with
 * spaces to a multiple of 8 bytes), through the library's atomic writer ({@link AtomicFiles}).
 */
public final class SafeTensors {
  /** The largest header read (the Hugging Face reader's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;
  private static final int CHUNK = 1 << 20;

  private SafeTensors() {}

  /**
   * A file's tensors (CPU tensors of the stored dtypes, in header order) and its metadata.
   *
   * @param tensors the tensors by name
   * @param metadata the {@code __metadata__} strings (empty when there are none)
   */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /** The checked header of {@code file}, without reading the data. */
  public static SafeTensorsHeader readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(ch, file.toString());
    }
  }

  /** Every tensor and the metadata of {@code file}. */
  public static Contents read(Path file) throws IOException {
    Torch.init();
    requireLittleEndianHost();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SafeTensorsHeader header = header(ch, file.toString());
      long dataStart = ch.size() - header.dataBytes();
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (SafeTensorsHeader.Entry e : header.entries().values()) {
        Tensor t = torch.empty(e.shape(), new TensorOptions(e.dtype().scalarType()), null);
        long n = e.end() - e.begin();
        BytePointer data = new BytePointer(t.data_ptr());
        for (long done = 0; done < n; ) {
          int len = (int) Math.min(CHUNK, n - done);
          ByteBuffer buf = data.position(done).limit(done + len).asByteBuffer();
          while (buf.hasRemaining()) {
            if (ch.read(buf, dataStart + e.begin() + done + buf.position()) < 0) {
              throw SafeTensorsHeader.bad(file.toString(), "ended while tensor '" + e.name() + "' was read");
            }
          }
          done += len;
        }
        tensors.put(e.name(), t);
      }
      return new Contents(Collections.unmodifiableMap(tensors), header.metadata());
    }
  }

  private static SafeTensorsHeader header(FileChannel ch, String source) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw SafeTensorsHeader.bad(source, "has " + size + " bytes, fewer than the 8-byte header length of a safetensors file");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lengthBytes, 0);
    long n = lengthBytes.getLong(0);
    if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
      throw SafeTensorsHeader.bad(source, "announces a JSON header of " + Long.toUnsignedString(n) + " bytes, but "
          + (n > MAX_HEADER_BYTES || n < 0 ? "at most " + MAX_HEADER_BYTES + " are allowed"
              : n < 2 ? "a header holds at least {}" : "only " + (size - 8) + " bytes follow the length")
          + " (is it a safetensors file?)");
    }
    ByteBuffer json = ByteBuffer.allocate((int) n);
    readFully(ch, json, 8);
    SafeTensorsHeader header = SafeTensorsHeader.parse(json.array(), source);
    long data = size - 8 - n;
    if (data != header.dataBytes()) {
      throw SafeTensorsHeader.bad(source, "holds " + data + " data bytes after its header, but its tensors account for "
          + header.dataBytes() + (data < header.dataBytes() ? " (is it truncated?)" : ""));
    }
    return header;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) {
        throw new java.io.EOFException("unexpected end of file");
      }
    }
  }

  /**
   * Writes {@code tensors} (any device; made contiguous on the CPU) and {@code metadata} (may be null)
   * to {@code file} atomically. Names must be distinct from {@code __metadata__}.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    Torch.init();
    requireLittleEndianHost();
    List<String> names = new ArrayList<>(tensors.keySet());
    Map<String, Tensor> cpu = new LinkedHashMap<>();
    for (String name : names) {
      if (name.equals(SafeTensorsHeader.METADATA)) {
        throw new InvalidInputException("a tensor cannot be called " + SafeTensorsHeader.METADATA + " in a safetensors file");
      }
      cpu.put(name, tensors.get(name).detach().cpu().contiguous());
    }
    names.sort(Comparator.comparingInt((String k) -> -SafeTensorsDtype.of(cpu.get(k).scalar_type()).rank())
        .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8))));
    List<SafeTensorsHeader.Entry> order = new ArrayList<>();
    long offset = 0;
    for (String name : names) {
      Tensor t = cpu.get(name);
      SafeTensorsDtype d = SafeTensorsDtype.of(t.scalar_type());
      long bytes = t.numel() * d.itemSize();
      order.add(new SafeTensorsHeader.Entry(name, d, Torch.shape(t), offset, offset + bytes));
      offset += bytes;
    }
    byte[] header = SafeTensorsHeader.encode(order, metadata);
    AtomicFiles.write(file, out -> {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
      out.write(length.array());
      out.write(header);
      byte[] chunk = new byte[CHUNK];
      for (SafeTensorsHeader.Entry e : order) {
        BytePointer data = new BytePointer(cpu.get(e.name()).data_ptr());
        for (long done = 0, n = e.end() - e.begin(); done < n; ) {
          int len = (int) Math.min(CHUNK, n - done);
          data.position(done).get(chunk, 0, len);
          out.write(chunk, 0, len);
          done += len;
        }
      }
    });
  }

  private static void requireLittleEndianHost() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("this safetensors implementation needs a little-endian host");
    }
  }
}
