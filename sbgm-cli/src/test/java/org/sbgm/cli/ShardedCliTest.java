package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sbgm sample}, {@code loglik} and {@code posterior} with {@code --nproc 2} (two child JVMs on
 * loopback, Gloo) write the same bytes as one process: the work is cut into chunks of {@code --batch}
 * rows, each with its own generator from the seed, and the ranks' rows are gathered in order. The batch
 * is chosen so that the chunks split unevenly (3 and 2 of 5, or 2 and 1 of 3).
 */
class ShardedCliTest {
  @TempDir Path dir;

  static final Path MIXTURE = Path.of("src/test/resources/malformed/good/mixture2d.json");

  /** One process in this JVM, then two ranks as child processes; returns both outputs' bytes. */
  byte[][] both(String name, String... args) throws Exception {
    Path one = dir.resolve(name + "-1.npy");
    Path two = dir.resolve(name + "-2.npy");
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--out", one.toString(), "--quiet"));
    Cli.ok(a.toArray(String[]::new));
    List<String> b = new ArrayList<>(List.of(args));
    b.addAll(List.of("--out", two.toString(), "--quiet", "--nproc", "2", "--threads", "1"));
    ChildJvm.Result r = DistributedCliTest.run(Map.of(), dir.resolve(name + ".log"),
        DistributedCliTest.sbgm(b.toArray(String[]::new)));
    assertEquals(0, r.code(), r.output());
    assertFalse(r.output().contains("rank 1:") && r.output().contains("wrote"), "only rank 0 reports: " + r.output());
    return new byte[][] {Files.readAllBytes(one), Files.readAllBytes(two)};
  }

  @Test
  void shardedSamplesEqualOneProcessBitForBit() throws Exception {
    for (String sampler : List.of("pc", "ode")) {
      List<String> args = new ArrayList<>(List.of("sample", "--oracle", MIXTURE.toString(), "--n", "1100",
          "--batch", "250", "--sampler", sampler, "--seed", "5"));
      if (sampler.equals("pc")) {
        args.addAll(List.of("--steps", "40"));
      }
      byte[][] out = both(sampler, args.toArray(String[]::new));
      assertTrue(out[0].length > 1100 * 2 * 4, sampler);
      assertArrayEquals(out[0], out[1], sampler + ": --nproc 2 differs from one process");
    }
  }

  @Test
  void shardedLogLikelihoodsEqualOneProcess() throws Exception {
    Path points = dir.resolve("points.npy");
    Cli.ok("sample", "--oracle", MIXTURE.toString(), "--n", "300", "--sampler", "em", "--steps", "50", "--seed", "1",
        "--out", points.toString(), "--quiet");
    for (String divergence : List.of("exact", "hutchinson")) {
      byte[][] out = both("loglik-" + divergence, "loglik", "--oracle", MIXTURE.toString(), "--data", points.toString(),
          "--divergence", divergence, "--batch", "120", "--seed", "2");
      assertArrayEquals(out[0], out[1], divergence + ": --nproc 2 differs from one process");
    }
  }
}
