package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.sbgm.model.TinyRuns;

/** Runs {@code sbgm} in-process and captures its exit status and output. */
final class Cli {
  private Cli() {}

  record Result(int code, String out, String err) {
    /** The stderr lines, without progress-bar redraws. */
    List<String> errLines() {
      return Arrays.stream(err.split("\n")).filter(l -> !l.isBlank() && !l.contains("\r")).collect(Collectors.toList());
    }

    /** key=value pairs printed on stdout (space or line separated). */
    Map<String, String> values() {
      Map<String, String> m = new TreeMap<>();
      for (String token : out.split("\\s+")) {
        int eq = token.indexOf('=');
        if (eq > 0) {
          m.put(token.substring(0, eq), token.substring(eq + 1));
        }
      }
      return m;
    }

    double number(String key) {
      String v = values().get(key);
      assertTrue(v != null, "no " + key + "= in: " + out);
      return Double.parseDouble(v);
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs and checks success. */
  static Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> "sbgm " + String.join(" ", args) + " failed:\n" + r.err() + r.out());
    return r;
  }

  /**
   * Runs, expects exit status 2 with exactly one stderr line "sbgm: ..." containing every fragment,
   * and no stack trace.
   */
  static Result userError(String[] args, String... fragments) {
    return oneLine(2, args, fragments);
  }

  /** As {@link #userError}, for a run that could not finish: exit status 1. */
  static Result runFailed(String[] args, String... fragments) {
    return oneLine(1, args, fragments);
  }

  /** Runs, expects exit status {@code code} and one stderr line "sbgm: ..." (no stack trace, no internal error) with every fragment. */
  static Result oneLine(int code, String[] args, String... fragments) {
    Result r = run(args);
    assertEquals(code, r.code(), () -> "expected exit " + code + " from sbgm " + String.join(" ", args) + ", got " + r.code() + ":\n" + r.err());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), () -> "expected one line on stderr, got:\n" + r.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("sbgm: "), line);
    assertTrue(!line.contains("internal error") && !r.err().contains("\tat "), r.err());
    for (String f : fragments) {
      assertTrue(line.contains(f), () -> "expected '" + f + "' in: " + line);
    }
    return r;
  }

  static String[] args(String... a) {
    return a;
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** A small eight-Gaussians config (the library tests' {@link TinyRuns#text}). */
  static String tinyConfig(long steps) {
    return TinyRuns.text(steps);
  }

  /**
   * Trains a U-Net of p(x | A, B) on 200 Gaussian random fields of 8 × 8 pixels for {@code steps} steps into
   * {@code dir/name} (its configuration beside it) and returns the model directory.
   */
  static Path tinyGrfModel(Path dir, String name, int steps) throws IOException {
    Path config = write(dir.resolve(name + ".yaml"), String.join("\n",
        "data: {source: grf, size: 8, n: 200, amplitude: [0.5, 2.0], exponent: [2.0, 4.0]}",
        "network: {type: unet, baseChannels: 8, channelMultipliers: [1, 2], middleAttention: false, groups: 4}",
        "training: {steps: " + steps + ", batchSize: 16, lr: 1e-3, warmupSteps: 2, seed: 2}", ""));
    Path model = dir.resolve(name);
    ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    return model;
  }

  /** The eight-Gaussians mixture as an oracle JSON file. */
  static Path eightGaussiansJson(Path file) throws IOException {
    double r = 1 / Math.sqrt(2);
    double[][] c = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
    double v = Math.pow(0.5 / 1.414, 2);
    StringBuilder means = new StringBuilder();
    StringBuilder covs = new StringBuilder();
    for (int k = 0; k < 8; k++) {
      means.append(k == 0 ? "" : ", ").append("[").append(4 * c[k][0] / 1.414).append(", ").append(4 * c[k][1] / 1.414).append("]");
      covs.append(k == 0 ? "" : ", ").append("[[").append(v).append(", 0], [0, ").append(v).append("]]");
    }
    return write(file, "{\"weights\": [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125], \"means\": [" + means
        + "], \"covariances\": [" + covs + "]}");
  }
}
