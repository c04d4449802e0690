package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.model.DirectoryLock;
import org.sbgm.model.Model;
import org.sbgm.model.TinyRuns;

/**
 * Two {@code sbgm train} runs on one model directory: while a first process trains, a second (a new run
 * or a resume) is refused in one sentence naming the first; once the first was SIGKILLed, its lock is
 * stale and a resume continues from its last checkpoint to a model that verifies.
 */
class ConcurrentTrainTest {
  @TempDir Path dir;

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheDirectoryAndResumesAfterItWasKilled() throws Exception {
    Path config = Cli.write(dir.resolve("long.yaml"), TinyRuns.text(200_000).replace("  seed: 3\n", "  seed: 3\n  checkpointEvery: 20\n"));
    Path model = dir.resolve("model");
    List<String> cmd = ChildJvm.command(Main.class.getName(), List.of());
    cmd.addAll(List.of("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1"));
    Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
    try {
      Optional<DirectoryLock.Owner> holder = Optional.empty();
      for (int i = 0; i < 600 && (holder.isEmpty() || !Files.exists(model.resolve("checkpoint.pt"))); i++) {
        assertTrue(first.isAlive(), () -> "the first run ended: " + read(dir.resolve("first.log")));
        Thread.sleep(100);
        holder = DirectoryLock.holder(model);
      }
      assertEquals(first.pid(), holder.orElseThrow().pid());
      String busy = "is in use: process " + first.pid() + " on host ";
      Cli.userError(Cli.args("train", "--config", config.toString(), "--out", model.toString(), "--quiet"), busy, "holds its lock");
      Cli.userError(Cli.args("train", "--config", config.toString(), "--out", model.toString(), "--resume", "--steps", "10",
          "--quiet"), busy, model.toString());
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL
    }
    assertTrue(DirectoryLock.holder(model).isEmpty(), "a killed run holds no lock");
    List<String> metrics = Files.readAllLines(model.resolve("metrics.csv"));
    long target = Long.parseLong(metrics.get(metrics.size() - 1).split(",")[0]) + 20;
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--resume", "--steps", Long.toString(target),
        "--quiet", "--threads", "1");
    assertEquals(target, Model.load(model).spec().orElseThrow().provenance().step());
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
