package org.sbgm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

/**
 * The YAML reader's limits: an alias bomb ("billion laughs"), deep nesting, a huge scalar and a huge file
 * are refused in one sentence naming the file, while ordinary anchors still work.
 */
class YamlLimitsTest {
  @TempDir Path dir;

  private static final String GOOD = "data: {source: toy, name: moons}\nnetwork: {type: mlp}\ntraining: {steps: 1}\n";

  private InvalidInputException refused(String name, String text) throws Exception {
    Path f = Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(f));
    assertTrue(e.getMessage().contains(name) && !e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  @Test
  void anAliasBombIsRefusedBeforeItExpands() throws Exception {
    long t0 = System.nanoTime();
    InvalidInputException e = refused("bomb.yaml", GOOD + HostileYaml.aliasBomb());
    assertTrue(e.getMessage().contains("uses the YAML alias '*a' (line 5)") && e.getMessage().contains("not expanded"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 5e9, "refusing took seconds");
  }

  @Test
  void deepNestingAHugeScalarAndAHugeFileAreRefused() throws Exception {
    InvalidInputException deep = refused("deep.yaml", GOOD + "extra: " + "[".repeat(100) + "]".repeat(100) + "\n");
    assertTrue(deep.getMessage().contains("more than 32 levels deep (line 4)"), deep.getMessage());
    InvalidInputException big = refused("big.yaml", GOOD + "note: \"" + "x".repeat(10 << 20) + "\"\n");
    assertTrue(big.getMessage().contains("is " + (GOOD.length() + 9 + (10 << 20)) + " bytes") && big.getMessage().contains("at most 1048576"),
        big.getMessage());
    // the same scalar given as bytes (not a file) meets SnakeYAML's code-point limit
    InvalidInputException bytes = assertThrows(InvalidInputException.class, () -> ConfigFiles.parse(
        (GOOD + "note: \"" + "x".repeat(2 << 20) + "\"\n").getBytes(StandardCharsets.UTF_8), "text 'x'", false, RunConfig.class));
    assertTrue(bytes.getMessage().contains("exceeds the YAML reader's limit of 1048576 characters"), bytes.getMessage());
  }

  @Test
  void ordinaryAnchorsStillWork() throws Exception {
    Path f = Files.writeString(dir.resolve("anchors.yaml"),
        "data: {source: toy, name: moons}\nnetwork: {type: mlp, timeEmbedding: &te {kind: fourier, dim: 16, scale: 4}}\n"
            + "training: {steps: 3}\n");
    assertEquals(3, ConfigFiles.readRunConfig(f).training().steps());
  }
}
