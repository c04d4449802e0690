package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/kill-resume.sh} with K = 1: the real {@code sbgm train} (a child JVM on the test class
 * path) SIGKILLed at random moments and resumed, for the MLP, the residual MLP with dropout and the U-Net
 * with condition dropout; the final weights and metrics must equal an uninterrupted run's byte for byte.
 * The README quotes a run with K = 20.
 */
class KillResumeTest {
  @TempDir Path dir;

  @Test
  void killedAndResumedRunsEndBitIdenticalToUninterruptedOnes() throws Exception {
    Path script = Path.of("..", "scripts", "kill-resume.sh").toAbsolutePath().normalize();
    assertTrue(Files.isExecutable(script), script + " is missing or not executable");
    String sbgm = String.join(" ", ChildJvm.command(Main.class.getName(), List.of()));
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "-k", "1", "-s", "0.1", "-r", "13", "-o",
        dir.resolve("runs").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
    pb.environment().put("SBGM", sbgm);
    int code = pb.start().waitFor();
    String log = Files.readString(dir.resolve("log"));
    System.out.println(log);
    assertEquals(0, code, log);
    for (String config : List.of("mlp", "residual", "unet")) {
      assertTrue(log.contains("config=" + config + " "), log);
      assertTrue(Pattern.compile("config=" + config + " steps=\\d+ kills=\\d+ identical=yes").matcher(log).find(), log);
    }
    Matcher m = Pattern.compile("kills_survived=(\\d+)/(\\d+) identical=yes").matcher(log);
    assertTrue(m.find(), log);
    assertEquals(m.group(1), m.group(2));
    assertTrue(Integer.parseInt(m.group(2)) >= 1, "no run was killed: " + log);
  }
}
