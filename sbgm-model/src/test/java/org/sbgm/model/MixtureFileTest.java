package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

/** A damaged mixture file is refused in one sentence naming the file and the line and column, not the parser's input. */
class MixtureFileTest {
  @TempDir Path dir;

  private static final String PREFIX = "' is not a mixture in JSON ({\"weights\": [...], \"means\": [[...]], "
      + "\"covariances\": [[[...]]]}): ";

  private String refused(String name, String text) throws Exception {
    Path f = Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    String message = assertThrows(InvalidInputException.class, () -> MixtureFile.readAny(f)).getMessage();
    return message.replace("mixture file '" + f + "'", "mixture file '" + name + "'");
  }

  @Test
  void aTruncatedFileNamesItsLineAndColumn() throws Exception {
    assertEquals("mixture file 'cut.json" + PREFIX + "not valid JSON: Unexpected end-of-input: expected close marker for "
        + "Object (opened on line 1, column 1) (line 2, column 19)",
        refused("cut.json", "{\"weights\": [1.0],\n \"means\": [[0, 0]]"));
    assertEquals("mixture file 'cut2.json" + PREFIX + "not valid JSON: Unexpected end-of-input within/between Array entries "
        + "(line 1, column 19)", refused("cut2.json", "{\"weights\": [0.5, "));
  }

  @Test
  void aValueOfTheWrongKindOrAnUnknownKeyIsNamed() throws Exception {
    assertEquals("mixture file 'text.json" + PREFIX + "weights must be a list, got a text value (line 2)",
        refused("text.json", "{\n\"weights\": \"one\",\n\"means\": [[0]], \"covariances\": [[[1]]]}"));
    assertEquals("mixture file 'key.json" + PREFIX + "unknown key 'mean' (line 3); expected one of covariances, "
        + "maps, means, weights", refused("key.json", "{\"weights\": [1.0],\n\n \"mean\": [[0]],\n \"covariances\": [[[1]]]}"));
  }

  @Test
  void aGoodFileReads() throws Exception {
    Path f = Files.writeString(dir.resolve("ok.json"), "{\"weights\": [1.0], \"means\": [[0, 0]], "
        + "\"covariances\": [[[1, 0], [0, 1]]]}", StandardCharsets.UTF_8);
    assertEquals(2, MixtureFile.read(f).dimension());
  }
}
