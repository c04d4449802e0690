package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

/**
 * The lock of a model directory: a second run (another process, or another thread) is refused in one
 * sentence naming the holder and changes nothing; the lock is released on exit, reentrant for its
 * thread, and taken over (with a warning) once its holder was killed.
 */
class DirectoryLockTest {
  @TempDir Path dir;

  private static Throwable inOtherThread(Path dir) throws Exception {
    try {
      CompletableFuture.runAsync(() -> DirectoryLock.acquire(dir, "training").close()).get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void anotherThreadIsRefusedTheHolderReentersAndCloseReleases() throws Exception {
    Path model = dir.resolve("m");
    try (DirectoryLock lock = DirectoryLock.acquire(model, "training")) {
      Throwable refused = inOtherThread(model);
      assertTrue(refused instanceof DirectoryLockedException, String.valueOf(refused));
      assertTrue(refused.getMessage().contains("process " + ProcessHandle.current().pid())
          && refused.getMessage().contains("another thread of this process") && refused.getMessage().contains("'" + model + "'"),
          refused.getMessage());
      try (DirectoryLock again = DirectoryLock.acquire(model, "saving")) {
        assertEquals(lock.directory(), again.directory());
      }
      assertTrue(inOtherThread(model) instanceof DirectoryLockedException, "the outer lock is still held");
      assertTrue(DirectoryLock.holder(model).isEmpty(), "the calling thread's own lock is not another holder");
      Files.writeString(model.resolve("checkpoint.pt"), "x");
    }
    assertEquals(null, inOtherThread(model));
    assertEquals("", Files.readString(model.resolve(DirectoryLock.FILE_NAME)), "a released lock records no holder");
  }

  @Test
  void aDirectoryCreatedForARunThatWroteNothingIsRemoved() {
    Path fresh = dir.resolve("fresh/model");
    DirectoryLock.acquire(fresh, "training").close();
    assertFalse(Files.exists(fresh));
  }

  @Test
  void anotherProcessIsRefusedUntilKilledThenItsStaleLockIsTakenOver() throws Exception {
    Path model = Files.createDirectories(dir.resolve("busy"));
    Path config = TinyRuns.config(dir.resolve("tiny.yaml"), 5);
    Process holder = HoldLock.start(model);
    try {
      long pid = holder.pid();
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class, () -> DirectoryLock.acquire(model, "training"));
      assertTrue(e.getMessage().contains("is in use: process " + pid + " on host ") && !e.getMessage().contains("\n"), e.getMessage());
      assertEquals(DirectoryLock.Owner.parse(Files.readString(model.resolve(DirectoryLock.FILE_NAME))),
          DirectoryLock.holder(model).orElseThrow());
      InvalidInputException train = assertThrows(InvalidInputException.class, () -> Training.fromFile(config).run(model));
      assertTrue(train instanceof DirectoryLockedException && train.getMessage().contains("process " + pid), train.getMessage());
      try (var files = Files.list(model)) {
        assertEquals(1, files.count(), "nothing but the holder's lock file");
      }
    } finally {
      holder.destroyForcibly().waitFor(); // SIGKILL: the holder cannot release anything
    }
    assertTrue(DirectoryLock.Owner.parse(Files.readString(model.resolve(DirectoryLock.FILE_NAME))) != null, "a stale record");
    assertTrue(DirectoryLock.holder(model).isEmpty(), "a killed holder holds nothing");
    try (DirectoryLock taken = DirectoryLock.acquire(model, "training")) {
      assertEquals(ProcessHandle.current().pid(),
          DirectoryLock.Owner.parse(Files.readString(model.resolve(DirectoryLock.FILE_NAME))).pid());
    }
    Files.writeString(model.resolve(".weights.pt.0123abcd.tmp"), "half a file");
    TrainedModel run = Training.fromFile(config).run(model); // a stale lock and a killed writer's leftovers do not count
    assertEquals(5, run.result().steps());
    assertFalse(Files.exists(model.resolve(".weights.pt.0123abcd.tmp")), "leftovers are removed under the lock");
  }
}
