package org.sbgm.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.sbgm.InvalidInputException;

/**
 * The one crash-safe writer of every file the library writes (arrays, manifests, weights,
 * checkpoints). The new content goes to a temporary file in the target's directory, which is forced
 * to disk, renamed over the target in one atomic step, and the directory entry is forced to disk. A
 * reader therefore sees either the complete old file or the complete new one, never a torn mix, and a
 * writer that fails (or throws) leaves the old target untouched and no temporary file behind.
 *
 * <p>The content comes from a Java stream ({@link #write(Path, IoConsumer)}), bytes, or a native
 * writer that is handed the temporary file's path ({@link #writeFile}, e.g. libtorch's
 * {@code OutputArchive.save_to(path)}); all take the same path from the temporary file on.
 * {@link #writeKeepingPrevious} also keeps the file being replaced as a sibling (the checkpoint's
 * {@code checkpoint.prev.pt}), without ever leaving the target absent.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically with the bytes {@code body} writes to the stream it is given.
   * The stream is buffered; {@code body} may close it or not. Parent directories are created.
   *
   * @throws IOException if writing, forcing or renaming fails; the old target is then unchanged
   */
  public static void write(Path target, IoConsumer<OutputStream> body) throws IOException {
    replace(target, null, temp -> stream(temp, body));
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Writes {@code target} atomically with a writer that creates the file at the path it is given (a
   * temporary file beside the target that does not exist yet), such as a native library's save
   * function. The file is then forced to disk and renamed over the target.
   *
   * @throws IOException if the writer fails or creates no regular file there; the old target is then unchanged
   */
  public static void writeFile(Path target, IoConsumer<Path> writer) throws IOException {
    replace(target, null, writer);
  }

  /**
   * As {@link #write(Path, IoConsumer)}, and a replaced target is kept as {@code previous} (a hard link,
   * else a copy, moved into place atomically before the rename); {@code previous} is left as it was
   * when there is no target yet or the new content could not be written.
   */
  public static void writeKeepingPrevious(Path target, Path previous, IoConsumer<OutputStream> body)
      throws IOException {
    if (previous == null) {
      throw new NullPointerException("previous");
    }
    replace(target, previous, temp -> stream(temp, body));
  }

  /**
   * True for a temporary file of this writer ({@code .NAME.HEX.tmp}, {@code .NAME.HEX.staging}): one that a
   * process killed in the middle of a write leaves behind. No complete file is ever named like this.
   */
  public static boolean isLeftover(Path file) {
    String n = file.getFileName() == null ? "" : file.getFileName().toString();
    return n.startsWith(".") && n.matches("\\..+\\.[0-9a-f]{1,16}\\.(tmp|staging)");
  }

  /**
   * Deletes the {@linkplain #isLeftover leftovers} of killed writers in {@code dir} (not its sub-directories)
   * and returns how many there were. Call it only while no writer can be active there, e.g. under the
   * directory's lock.
   */
  public static int removeLeftovers(Path dir) throws IOException {
    int n = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (isLeftover(p) && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    }
    return n;
  }

  /** The one code path: fill a fresh temporary file, force it, keep the previous file, rename, force the directory. */
  private static void replace(Path target, Path previous, IoConsumer<Path> fill) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (Files.isDirectory(abs)) {
      throw new IOException("Cannot write file '" + target + "': a directory of that name exists.");
    }
    Path temp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean done = false;
    try {
      Files.createDirectories(dir);
      fill.accept(temp);
      if (!Files.isRegularFile(temp)) {
        throw new IOException("The writer of '" + target + "' created no file at the temporary path " + temp + ".");
      }
      force(temp);
      if (previous != null && Files.exists(abs)) {
        keepPrevious(abs, previous.toAbsolutePath());
      }
      move(temp, abs);
      done = true;
    } catch (FileSystemException e) {
      throw explained(e, target, temp);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // nothing was created there (or it cannot be reached); the failure above is the one to report
        }
      }
    }
    forceDirectory(dir);
  }

  /**
   * A file-system failure while writing {@code target}, as one sentence naming the target and the reason
   * (the operating system's, such as "No space left on device" or "Permission denied"), and the directory or
   * file where it happened when that is not the temporary file, which no user has heard of.
   */
  static IOException explained(FileSystemException e, Path target, Path temp) {
    String reason = reason(e);
    String file = e.getFile();
    boolean own = file == null || file.equals(temp.toString()) || file.equals(target.toAbsolutePath().toString())
        || file.equals(target.toString());
    String where = own ? "" : " (at " + file + ")";
    return new IOException("cannot write " + target + ": " + reason + where, e);
  }

  /**
   * Throws unless {@code dir} is, or can be created as, a directory in which files can be created: the missing
   * directories are created and a file is created there and deleted again. Call it for every output before any
   * long work, so that a run with several outputs fails before it writes the first when another cannot be written.
   *
   * @param what the output, for the message (e.g. "--png")
   * @throws InvalidInputException "WHAT cannot be written: ..." naming the directory and the system's reason
   */
  public static void checkWritableDirectory(String what, Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new InvalidInputException(what + " cannot be written: '" + p + "' is a file, not a directory");
        }
        break;
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InvalidInputException(what + " cannot be written: the directory '" + dir + "' cannot be created ("
          + reason(e) + ")", e);
    }
    try {
      Files.delete(Files.createTempFile(dir, ".sbgm-probe", ".tmp"));
    } catch (IOException e) {
      throw new InvalidInputException(what + " cannot be written: no file can be created in the directory '" + dir
          + "' (" + reason(e) + ")", e);
    }
  }

  /** The reason of an I/O failure in words: the operating system's, or one for the exception's kind. */
  public static String reason(IOException e) {
    if (!(e instanceof FileSystemException f)) {
      return e.getMessage();
    }
    return reason(f);
  }

  /** The reason of a file-system failure in words: the operating system's, or one for the exception's kind. */
  public static String reason(FileSystemException e) {
    if (e.getReason() != null && !e.getReason().isBlank()) {
      return e.getReason();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file of that name already exists";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "Not a directory";
    }
    return e.getClass().getSimpleName();
  }

  /** Creates {@code file} and writes what {@code body} writes to it through a buffer. */
  private static void stream(Path file, IoConsumer<OutputStream> body) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream raw = Channels.newOutputStream(channel);
      BufferedOutputStream buffered = new BufferedOutputStream(new FilterOutputStream(raw) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush(); // the channel is closed by the outer try
        }
      }, 1 << 16);
      body.accept(buffered);
      buffered.flush();
    }
  }

  /** Forces a written file's content to disk. */
  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Makes {@code previous} a copy of the current {@code target} without ever leaving {@code target} absent. */
  private static void keepPrevious(Path target, Path previous) throws IOException {
    Path staging = previous.resolveSibling("." + previous.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".staging");
    try {
      try {
        Files.createLink(staging, target);
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.copy(target, staging);
        force(staging);
      }
      move(staging, previous);
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Forces a directory's entries to disk where the platform allows it (a no-op where it does not). */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms (Windows) cannot open a directory as a channel; the rename is still atomic.
    }
  }
}
