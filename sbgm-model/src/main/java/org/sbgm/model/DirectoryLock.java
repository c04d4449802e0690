package org.sbgm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.sbgm.InvalidInputException;
import org.sbgm.io.IoFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of a model directory, held for as long as a run writes into it ({@link Training}, and
 * {@link ModelDirectory#save} and {@link ModelDirectory#attach}), so that a second run on the same
 * directory, in this process or another, is refused in one sentence naming the holder instead of
 * interleaving its checkpoints with the first one's.
 *
 * <p>The lock is the operating system's lock ({@link FileChannel#tryLock}, {@code fcntl} on Linux) on the
 * hidden file {@value #FILE_NAME} in the directory, which also records the holder (process id, host,
 * purpose, start time). The system drops the lock when the holder exits, however it exits, so a lock
 * whose holder was killed (SIGKILL, a crash, a power cut) is recognised as stale and taken over with a
 * warning that names the run that left it. Released cleanly, the file is emptied, or removed when the run
 * created it and wrote nothing else into the directory (which is removed too when the run created it), so
 * a run refused at its start leaves nothing behind. Where the file system offers
 * no locks, a recorded holder that is still alive on this host counts as holding it.
 *
 * <p>Within one process the lock is reentrant for the thread that holds it (a training run inside a
 * program that already holds the lock), and refused for other threads.
 */
public final class DirectoryLock implements AutoCloseable {
  /** The lock file's name inside the directory (hidden, so manifests leave it out). */
  public static final String FILE_NAME = ".sbgm.lock";
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);
  private static final Map<Path, Held> HELD = new HashMap<>();

  /**
   * Who holds (or held) a lock.
   *
   * @param pid the process id
   * @param host the host name
   * @param purpose what the holder does, e.g. "training"
   * @param since when it took the lock (ISO-8601)
   */
  public record Owner(long pid, String host, String purpose, String since) {
    /** "process 1234 on host h (training since 2026-...)". */
    public String describe() {
      return "process " + pid + " on host " + host + " (" + purpose + " since " + since + ")";
    }

    /** True when this is a live process of this host. */
    boolean aliveHere() {
      return host.equals(hostName()) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    String text() {
      return "pid=" + pid + "\nhost=" + host + "\npurpose=" + purpose + "\nsince=" + since + "\n";
    }

    /** The owner recorded in a lock file's text, or null when it records none (released, or not ours). */
    static Owner parse(String text) {
      Map<String, String> m = new HashMap<>();
      for (String line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
      }
      try {
        return m.containsKey("pid") ? new Owner(Long.parseLong(m.get("pid")), m.getOrDefault("host", "?"),
            m.getOrDefault("purpose", "?"), m.getOrDefault("since", "?")) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private static final class Held {
    final Path key;
    final Path dir;
    final FileChannel channel;
    final FileLock lock;
    final Thread thread;
    final boolean createdDirectory;
    final boolean createdFile;
    final Owner owner;
    int count = 1;

    Held(Path key, Path dir, FileChannel channel, FileLock lock, boolean createdDirectory, boolean createdFile, Owner owner) {
      this.key = key;
      this.dir = dir;
      this.channel = channel;
      this.lock = lock;
      this.thread = Thread.currentThread();
      this.createdDirectory = createdDirectory;
      this.createdFile = createdFile;
      this.owner = owner;
    }
  }

  private final Held held;
  private boolean closed;

  private DirectoryLock(Held held) {
    this.held = held;
  }

  /**
   * Locks {@code dir} (created when absent) for {@code purpose}, or refuses with a
   * {@link DirectoryLockedException} naming the holder.
   *
   * @throws UncheckedIOException when the lock file cannot be created (a read-only directory, a full disk)
   */
  public static DirectoryLock acquire(Path dir, String purpose) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InvalidInputException("model directory '" + dir + "' is a file; expected a directory");
    }
    boolean existed = Files.isDirectory(abs);
    Path key;
    try {
      Files.createDirectories(abs);
      key = abs.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the model directory '" + dir + "': " + IoFailures.describe(e), e);
    }
    synchronized (HELD) {
      Held h = HELD.get(key);
      if (h != null) {
        if (h.thread == Thread.currentThread()) {
          h.count++;
          return new DirectoryLock(h);
        }
        throw new DirectoryLockedException(dir, h.owner.describe() + ", another thread of this process");
      }
      Path file = abs.resolve(FILE_NAME);
      boolean fileExisted = Files.exists(file);
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock the model directory '" + dir + "' for writing: " + IoFailures.describe(e), e);
      }
      try {
        Owner previous = Owner.parse(read(channel));
        FileLock lock;
        try {
          lock = channel.tryLock();
          if (lock == null) {
            throw new DirectoryLockedException(dir, previous == null ? "another process" : previous.describe());
          }
        } catch (OverlappingFileLockException e) {
          throw new DirectoryLockedException(dir, "another part of this process");
        } catch (IOException e) {
          // no locks on this file system: a recorded holder that is alive here still counts
          LOG.warn("Model directory {}: the file system offers no locks ({}); checking the recorded holder instead.",
              dir, IoFailures.describe(e));
          if (previous != null && previous.aliveHere()) {
            throw new DirectoryLockedException(dir, previous.describe());
          }
          lock = null;
        }
        if (previous != null) {
          LOG.warn("Model directory {}: taking over the lock left by {}, which ended without releasing it.", dir,
              previous.describe());
        }
        Owner me = new Owner(ProcessHandle.current().pid(), hostName(), purpose,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(me.text().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        Held fresh = new Held(key, abs, channel, lock, !existed, !fileExisted, me);
        HELD.put(key, fresh);
        return new DirectoryLock(fresh);
      } catch (IOException | RuntimeException e) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof IOException io) {
          throw new UncheckedIOException("cannot lock the model directory '" + dir + "': " + IoFailures.describe(io), io);
        }
        throw (RuntimeException) e;
      }
    }
  }

  /**
   * The live holder of {@code dir}'s lock other than the calling thread (another process, or another
   * thread of this one), if any, found without taking the lock or changing anything.
   */
  public static Optional<Owner> holder(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    synchronized (HELD) {
      try {
        Held h = HELD.get(dir.toAbsolutePath().normalize().toRealPath());
        if (h != null) {
          return h.thread == Thread.currentThread() ? Optional.empty() : Optional.of(h.owner);
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        Owner recorded = Owner.parse(read(channel));
        FileLock probe;
        try {
          probe = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (IOException e) {
          return recorded != null && recorded.aliveHere() ? Optional.of(recorded) : Optional.empty();
        }
        if (probe == null) {
          return Optional.of(recorded != null ? recorded : new Owner(-1, "?", "?", "?"));
        }
        probe.release();
        return Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  /** The directory this lock holds. */
  public Path directory() {
    return held.dir;
  }

  /** Releases the lock (the outermost close of a reentrant holder does). */
  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      if (--held.count > 0) {
        return;
      }
      HELD.remove(held.key);
      Path file = held.dir.resolve(FILE_NAME);
      try {
        if (held.createdFile && onlyTheLockFile(held.dir)) {
          Files.deleteIfExists(file); // still locked: a process that opens the path now gets a new file
        } else {
          held.channel.truncate(0);
          held.channel.force(true);
        }
        if (held.lock != null) {
          held.lock.release();
        }
        held.channel.close();
        if (held.createdDirectory) {
          Files.deleteIfExists(held.dir); // only when empty: a new holder's file keeps it
        }
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // another run started in the directory meanwhile
      } catch (IOException e) {
        LOG.warn("Model directory {}: could not release its lock cleanly ({}); the next run will take it over.",
            held.dir, IoFailures.describe(e));
      }
    }
  }

  private static boolean onlyTheLockFile(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.allMatch(p -> p.getFileName().toString().equals(FILE_NAME));
    }
  }

  private static String read(FileChannel channel) throws IOException {
    long size = Math.min(channel.size(), 4096);
    ByteBuffer b = ByteBuffer.allocate((int) size);
    while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
      // read the small file whole
    }
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  /** This host's name, from the kernel or the environment (no name lookup, so no network). */
  public static String hostName() {
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        return Files.readString(kernel).strip();
      }
    } catch (IOException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "localhost" : env;
  }
}
