package org.sbgm.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * <p>Writing is atomic: the bytes go to a temporary file in the same directory, which is fsynced; the
 * existing file (if any) is kept as its {@code .prev} sibling (a hard link, else a copy); then the
 * temporary file is renamed over the target and the directory is fsynced. A crash at any point leaves
 * the target either the old or the new complete checkpoint.
 */
final class CheckpointFile {
  static final byte[] MAGIC = "SBGMCKPT".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER = 8 + 4 + 8 + 32;

  private CheckpointFile() {}

  /** The verified payload parts. */
  record Contents(byte[] metadata, byte[] archive) {}

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
    return new Contents(meta, archive);
  }

  /** {@code checkpoint.pt} -> {@code checkpoint.prev.pt}; {@code x} -> {@code x.prev}. */
  static Path previousOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String prev = dot > 0 ? name.substring(0, dot) + ".prev" + name.substring(dot) : name + ".prev";
    return file.resolveSibling(prev);
  }

  /** Writes {@code content} to {@code file} atomically, keeping the file it replaces as its previous. */
  static void writeAtomically(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (Files.exists(target)) {
        keepPrevious(target, previousOf(target));
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes {@code prev} the current {@code target} without ever leaving {@code target} absent. */
  private static void keepPrevious(Path target, Path prev) throws IOException {
    Path dir = target.getParent();
    Path staging = dir.resolve("." + prev.getFileName() + ".staging");
    Files.deleteIfExists(staging);
    try {
      Files.createLink(staging, target);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(target, staging, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      Files.move(staging, prev, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, prev, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(staging);
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory; the renames are still atomic there
    }
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
