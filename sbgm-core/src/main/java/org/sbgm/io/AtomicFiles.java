package org.sbgm.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: the new content is written to a temporary file in the target's
 * directory, forced to disk, renamed over the target in one atomic step and the directory entry is
 * forced to disk. A reader therefore sees either the complete old file or the complete new one,
 * never a torn mix, and a writer that fails (or throws) leaves the old target untouched and no
 * temporary file behind.
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
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (Files.isDirectory(abs)) {
      throw new IOException("Cannot write file '" + target + "': a directory of that name exists.");
    }
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean done = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream raw = Channels.newOutputStream(channel);
        BufferedOutputStream buffered = new BufferedOutputStream(new FilterOutputStream(raw) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the channel is closed by the outer try, after force()
          }
        }, 1 << 16);
        body.accept(buffered);
        buffered.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
    forceDirectory(dir);
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
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
