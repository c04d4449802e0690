package org.sbgm.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny training configurations and directory copies for the tests. */
public final class TinyRuns {
  private TinyRuns() {}

  /** Writes {@link #text(long)} to {@code file}. */
  public static Path config(Path file, long steps) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text(steps), StandardCharsets.UTF_8);
    return file;
  }

  /** A small eight-Gaussians config: MLP 2x64, 2000 points, 10% held out, validation every 25 steps. */
  public static String text(long steps) {
    return String.join("\n",
        "data:",
        "  source: toy",
        "  name: eight-gaussians",
        "  n: 2000",
        "  seed: 1",
        "  validation: 0.1",
        "network:",
        "  type: mlp",
        "  width: 64",
        "  depth: 2",
        "  timeEmbedding: {kind: fourier, dim: 16, scale: 4}",
        "training:",
        "  steps: " + steps,
        "  batchSize: 128",
        "  lr: 2e-3",
        "  warmupSteps: 10",
        "  validateEvery: 25",
        "  seed: 3",
        "");
  }

  /** Copies the files of {@code from} into the new directory {@code to}. */
  public static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }
}
