package org.sbgm.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.bench.BenchResult;
import org.sbgm.cli.Main;

/** {@code sbgm bench} end to end with tiny repetition counts (no timing is asserted). */
class BenchCommandTest {
  private static final Pattern LINE = Pattern.compile("^([a-z0-9-]+)\t(\\d+\\.\\d{3})\tparams=(\\d+)\t(\\(.+\\))$");

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void printsOneWellFormedLineInTheReferenceFormat(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("bench.json");
    String[] r = run("bench", "--only", "mlp-train-256", "--reps", "3", "--warmup", "1", "--json", json.toString());
    assertEquals("0", r[0], r[2]);
    String[] lines = r[1].strip().split("\n");
    assertEquals(1, lines.length, r[1]);
    Matcher m = LINE.matcher(lines[0]);
    assertTrue(m.matches(), "not in the reference format: " + lines[0]);
    assertEquals("mlp-train-256", m.group(1));
    assertEquals("141058", m.group(3));
    assertEquals("(one DSM step: sample t,z; forward; backward; AdamW)", m.group(4));

    JsonNode doc = new ObjectMapper().readTree(Files.readString(json));
    assertEquals(1, doc.get("threads").asInt());
    JsonNode row = doc.get("results").get(0);
    assertEquals("mlp-train-256", row.get("name").asText());
    assertEquals(141058, row.get("params").asLong());
    assertEquals(3, row.get("samples_ms").size());
    double[] samples = new double[3];
    for (int i = 0; i < 3; i++) {
      samples[i] = row.get("samples_ms").get(i).asDouble();
      assertTrue(samples[i] > 0);
    }
    assertEquals(BenchResult.median(samples), row.get("median_ms").asDouble(), 1e-9);
    assertEquals(Double.parseDouble(m.group(2)), row.get("median_ms").asDouble(), 5e-4);
  }

  @Test
  void unknownWorkloadIsAUserError() {
    String[] r = run("bench", "--only", "mlp-train-512");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("unknown workload 'mlp-train-512'"), r[2]);
    assertEquals("", r[1]);
  }

  @Test
  void badThreadCountIsAUserError() {
    String[] r = run("bench", "--threads", "0", "--only", "mlp-train-256");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--threads must be at least 1"), r[2]);
  }
}
