package org.sbgm.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The byte container of a checkpoint and its safe writing.
 *
 * <p>Layout: the 8 ASCII bytes {@code SBGMCKPT}, a big-endian int32 format version, an int64 payload
 * length, the 32-byte SHA-256 of the payload, then the payload: an int32 metadata length, the UTF-8
 * metadata ({@code key=value} lines) and a libtorch archive (zip) of the tensors and optimiser state.
 *
 * <p>The bytes are written by {@link org.sbgm.io.AtomicFiles#writeKeepingPrevious} (temporary file,
 * fsync, the replaced file kept as its {@code .prev} sibling, atomic rename, directory fsync), so a
 * crash at any point leaves the target either the old or the new complete checkpoint.
 */
final class CheckpointFile {
  static final byte[] MAGIC = "SBGMCKPT".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER = 8 + 4 + 8 + 32;

  private CheckpointFile() {}

  /** The verified payload parts. */
  record Contents(byte[] metadata, byte[] archive, String digest) {}

  static byte[] encode(byte[] metadata, byte[] archive) {
    int payload = 4 + metadata.length + archive.length;
    ByteBuffer payloadBuf = ByteBuffer.allocate(payload);
    payloadBuf.putInt(metadata.length).put(metadata).put(archive);
    byte[] payloadBytes = payloadBuf.array();
    ByteBuffer out = ByteBuffer.allocate(HEADER + payload);
    out.put(MAGIC).putInt(VERSION).putLong(payload).put(sha256(payloadBytes, 0, payload)).put(payloadBytes);
    return out.array();
  }

  /** Verifies and splits {@code bytes} read from {@code file}. */
  static Contents decode(Path file, byte[] bytes) throws CorruptCheckpointException {
    if (bytes.length >= MAGIC.length && !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new CorruptCheckpointException(file, "is not an sbgm checkpoint (its first bytes are not SBGMCKPT)");
    }
    if (bytes.length < HEADER) {
      throw new CorruptCheckpointException(file,
          "is truncated: it holds " + bytes.length + " bytes, fewer than the " + HEADER + "-byte header");
    }
    if (!Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC)) {
      throw new CorruptCheckpointException(file, "is not an sbgm checkpoint (its first bytes are not SBGMCKPT)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(8);
    int version = in.getInt();
    if (version != VERSION) {
      throw new CorruptCheckpointException(file,
          "has format version " + version + ", but this library reads version " + VERSION);
    }
    long payload = in.getLong();
    long actual = bytes.length - (long) HEADER;
    if (payload != actual) {
      throw new CorruptCheckpointException(file, (actual < payload ? "is truncated" : "has trailing bytes")
          + ": its header promises " + payload + " payload bytes, the file holds " + actual);
    }
    byte[] stored = new byte[32];
    in.get(stored);
    byte[] computed = sha256(bytes, HEADER, (int) payload);
    if (!MessageDigest.isEqual(stored, computed)) {
      throw new CorruptCheckpointException(file, "is corrupt: its SHA-256 checksum does not match its contents"
          + " (stored " + HexFormat.of().formatHex(stored) + ", computed " + HexFormat.of().formatHex(computed) + ")");
    }
    int metaLength = in.getInt();
    if (metaLength < 0 || metaLength > payload - 4) {
      throw new CorruptCheckpointException(file, "has an impossible metadata length " + metaLength);
    }
    byte[] meta = new byte[metaLength];
    in.get(meta);
    byte[] archive = new byte[in.remaining()];
    in.get(archive);
    return new Contents(meta, archive, HexFormat.of().formatHex(stored));
  }

  /**
   * The SHA-256 the header of {@code file} records for its payload (64 hex digits), read without the
   * payload, or null when the file is too short or not a checkpoint: it identifies the checkpoint a
   * run resumed from.
   */
  static String storedDigest(Path file) throws java.io.IOException {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] head = in.readNBytes(HEADER);
      if (head.length < HEADER || !Arrays.equals(Arrays.copyOf(head, 8), MAGIC)) {
        return null;
      }
      return HexFormat.of().formatHex(head, HEADER - 32, HEADER);
    }
  }

  /** {@code checkpoint.pt} -> {@code checkpoint.prev.pt}; {@code x} -> {@code x.prev}. */
  static Path previousOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String prev = dot > 0 ? name.substring(0, dot) + ".prev" + name.substring(dot) : name + ".prev";
    return file.resolveSibling(prev);
  }

  static byte[] sha256(byte[] bytes, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, offset, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
