package org.sbgm.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.cli.Main;
import org.sbgm.io.NdArray;
import org.sbgm.io.Npy;

/**
 * The README's library program loads a directory that {@code sbgm train} wrote and computes exactly
 * what {@code sbgm sample} and {@code sbgm loglik} compute from the same seeds; the README shows its code.
 */
class UsingTheLibraryTest {
  @TempDir Path dir;

  @Test
  void theReadmeProgramMatchesTheCommandLineBitForBit() throws Exception {
    Path config = Files.writeString(dir.resolve("moons.yaml"), String.join("\n",
        "data: {source: toy, name: moons, n: 2000, seed: 1, validation: 0}",
        "network: {type: mlp, width: 32, depth: 2, timeEmbedding: {kind: fourier, dim: 16}}",
        "training: {steps: 400, batchSize: 128, lr: 2e-3, warmupSteps: 20, seed: 0}", ""));
    Path model = dir.resolve("runs/moons");
    sbgm("train", "--config", config.toString(), "--out", model.toString(), "--threads", "1", "--quiet");
    UsingTheLibrary.Result r = UsingTheLibrary.run(model);

    Path x = dir.resolve("x.npy");
    sbgm("sample", "--model", model.toString(), "--n", "500", "--sampler", "ode", "--seed", "0", "--threads", "1",
        "--out", x.toString(), "--quiet");
    NdArray cli = Npy.read(x);
    assertArrayEquals(new long[] {500, 2}, cli.shape());
    assertArrayEquals(cli.toFloats(), r.samples());

    Path ll = dir.resolve("ll.npy");
    String out = sbgm("loglik", "--model", model.toString(), "--data", x.toString(), "--seed", "0", "--threads", "1",
        "--out", ll.toString(), "--quiet");
    assertArrayEquals(Npy.read(ll).data(), r.nats());
    assertTrue(out.contains("nfe=" + r.likelihoodNfe()), out);
    double mean = Arrays.stream(r.nats()).average().orElseThrow();
    assertTrue(mean > -6 && mean < 0, "mean log-likelihood of moons samples in nats: " + mean);
  }

  @Test
  void theReadmeShowsTheProgram() throws Exception {
    assertReadmeShows("load");
    assertReadmeShows("train");
  }

  /** The README holds the lines between {@code // --- README: name ---} and the next end marker verbatim. */
  private static void assertReadmeShows(String name) throws Exception {
    List<String> source = Files.readAllLines(Path.of("src/test/java/org/sbgm/examples/UsingTheLibrary.java"));
    String start = "// --- README: " + name + " ---";
    int from = -1;
    for (int i = 0; i < source.size() && from < 0; i++) {
      from = source.get(i).strip().equals(start) ? i : -1;
    }
    int to = from;
    while (to >= 0 && to + 1 < source.size() && !source.get(++to).strip().equals("// --- end ---")) {
      // advance to the end marker
    }
    assertTrue(from > 0 && to > from, "markers '" + name + "' in UsingTheLibrary.java");
    int indent = source.get(from).indexOf('/');
    String block = source.subList(from + 1, to).stream()
        .map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains(block + "\n"), "README.md must show UsingTheLibrary's program verbatim:\n" + block);
  }

  private static String sbgm(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, () -> "sbgm " + String.join(" ", args) + " failed:\n" + err + out);
    return out.toString();
  }
}
