package org.sbgm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

/**
 * A bad value in a configuration is refused in one sentence naming the dotted key, the value, what was
 * expected, the file and the line of the key itself, for values out of range as for values of the wrong type.
 */
class ConfigMessagesTest {
  @TempDir Path dir;

  /** The shipped demo configuration: network.width on line 23, training.batchSize on line 30, 37 lines. */
  private static String demo() throws Exception {
    return Files.readString(ConfigsTest.CONFIGS.resolve("eight-gaussians-mlp.yaml"), StandardCharsets.UTF_8);
  }

  /** The message refusing the demo configuration with {@code from} replaced by {@code to}, written as {@code name}. */
  private String refused(String name, String from, String to) throws Exception {
    String text = demo();
    if (!text.contains(from)) {
      throw new AssertionError("the demo configuration has no '" + from + "'");
    }
    Path f = Files.writeString(dir.resolve(name), text.replace(from, to), StandardCharsets.UTF_8);
    return assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(f)).getMessage();
  }

  private String file(String name) {
    return "config file '" + dir.resolve(name) + "': ";
  }

  @Test
  void rangeErrorsNameTheLineOfTheirKey() throws Exception {
    assertEquals(file("w.yaml") + "network.width must be at least 1, got -4 (line 23)",
        refused("w.yaml", "  width: 256", "  width: -4"));
    assertEquals(file("b.yaml") + "training.batchSize must be at least 1, got 0 (line 30)",
        refused("b.yaml", "  batchSize: 512", "  batchSize: 0"));
    assertEquals(file("v.yaml") + "data.validation must lie in [0.0, 0.9), got 2.0 (line 15)",
        refused("v.yaml", "  validation: 0.02", "  validation: 2"));
    assertEquals(file("p.yaml") + "parameterisation must be one of epsilon, score, got 'noise' (line 27)",
        refused("p.yaml", "parameterisation: epsilon", "parameterisation: noise"));
    assertEquals(file("e.yaml") + "network.timeEmbedding.dim must be a positive even number, got 3 (line 26)",
        refused("e.yaml", "dim: 32", "dim: 3"));
    assertEquals(file("s.yaml") + "sde.betaMax must be at least betaMin (0.1), got 0.05 (line 20)",
        refused("s.yaml", "  betaMax: 12", "  betaMax: 0.05"));
    // a missing required key is placed at its section
    assertEquals(file("m.yaml") + "training.steps is required (the number of optimiser steps) (line 28)",
        refused("m.yaml", "  steps: 5000\n", ""));
  }

  @Test
  void typeErrorsKeepTheirLines() throws Exception {
    assertEquals(file("t.yaml") + "network.width must be an integer, got '2.5' (line 23)",
        refused("t.yaml", "  width: 256", "  width: 2.5"));
    assertEquals(file("u.yaml") + "unknown key 'network.widht' (line 23); expected one of activation, conditionDropout, "
        + "depth, init, timeEmbedding, type, width", refused("u.yaml", "  width: 256", "  widht: 256"));
  }

  @Test
  void aDuplicateKeyIsNamedWithBothLines() throws Exception {
    assertEquals("config file '" + dir.resolve("d.yaml") + "' repeats the key network.depth (lines 24 and 25); "
        + "write each key once", refused("d.yaml", "  depth: 3\n", "  depth: 3\n  depth: 4\n"));
    assertEquals("config file '" + dir.resolve("f.yaml") + "' repeats the key network.timeEmbedding.dim (lines 26 and 26); "
        + "write each key once", refused("f.yaml", "dim: 32,", "dim: 32, dim: 32,"));
  }

  @Test
  void nullAndQuotedNumbersAreRefused() throws Exception {
    assertEquals(file("n.yaml") + "network.width must be an integer, got null (line 23)",
        refused("n.yaml", "  width: 256", "  width: null"));
    assertEquals(file("n2.yaml") + "network.width must be an integer, got nothing (line 23)",
        refused("n2.yaml", "  width: 256", "  width:"));
    assertEquals(file("q.yaml") + "network.width must be an integer, got the quoted text \"256\" (line 23); "
        + "write it without quotes", refused("q.yaml", "  width: 256", "  width: \"256\""));
    assertEquals(file("q2.yaml") + "training.lr must be a number, got the quoted text \"2e-3\" (line 31); "
        + "write it without quotes", refused("q2.yaml", "  lr: 2e-3", "  lr: '2e-3'"));
    assertEquals(file("q3.yaml") + "training.stratified must be true or false, got the quoted text \"true\" (line 38); "
        + "write it without quotes", refused("q3.yaml", "  weighting: sigma2\n", "  weighting: sigma2\n  stratified: \"true\"\n"));
    assertEquals(file("q4.yaml") + "sde.betaMin must be a number, got null (line 19)",
        refused("q4.yaml", "  betaMin: 0.1", "  betaMin: ~"));
    Path json = Files.writeString(dir.resolve("c.json"), "{\"data\": {\"source\": \"toy\", \"name\": \"moons\"},\n"
        + "\"network\": {\"type\": \"mlp\"},\n\"training\": {\"steps\": \"3\"}}\n", StandardCharsets.UTF_8);
    assertEquals(file("c.json") + "training.steps must be an integer, got the quoted text \"3\" (line 3); write it without quotes",
        assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(json)).getMessage());
  }

  @Test
  void numbersTheReaderCannotTakeNameTheirKey() throws Exception {
    assertEquals(file("i.yaml") + "network.width must be an integer from -2147483648 to 2147483647, got 99999999999999 (line 23)",
        refused("i.yaml", "  width: 256", "  width: 99999999999999"));
    assertEquals(file("l.yaml") + "training.steps must be an integer from -9223372036854775808 to 9223372036854775807, "
        + "got 99999999999999999999 (line 29)", refused("l.yaml", "  steps: 5000", "  steps: 99999999999999999999"));
    assertEquals(file("nan.yaml") + "training.lr must be a number, got '.nan' (line 31)",
        refused("nan.yaml", "  lr: 2e-3", "  lr: .nan"));
  }

  @Test
  void plainScientificNotationStillReads() throws Exception {
    // YAML 1.1 reads 2e-3 (no dot) as text; unquoted, it is the number the user meant
    Path f = Files.writeString(dir.resolve("lr.yaml"), demo().replace("lr: 2e-3", "lr: 3e-4"), StandardCharsets.UTF_8);
    assertEquals(3e-4, ConfigFiles.readRunConfig(f).training().lr());
    assertEquals(2e-3, ConfigFiles.readRunConfig(ConfigsTest.CONFIGS.resolve("eight-gaussians-mlp.yaml")).training().lr());
  }

  @Test
  void syntaxErrorsNameWhereTheProblemIsWithoutTheParsersDescriptionOfItsInput() throws Exception {
    assertEquals(file("y.yaml") + "not valid YAML: while parsing a block mapping; expected <block end>, but found ':' "
        + "(line 38, column 3)", refused("y.yaml", "  weighting: sigma2\n", "  weighting: sigma2\n  : : [\n"));
    Path json = Files.writeString(dir.resolve("t.json"), "{\"data\": {\"source\": \"toy\", \"name\": \"moons\"},\n"
        + "\"network\": {\"type\": \"mlp\", \"width\": [4\n", StandardCharsets.UTF_8);
    assertEquals(file("t.json") + "not valid JSON: Unexpected end-of-input: expected close marker for Array "
        + "(opened on line 2, column 37) (line 3, column 1)",
        assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(json)).getMessage());
    Path nothing = Files.writeString(dir.resolve("z.yaml"), "# only a comment\n~\n", StandardCharsets.UTF_8);
    assertEquals("config file '" + nothing + "' holds no settings",
        assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(nothing)).getMessage());
  }
}
