package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.AtomicFiles;

/**
 * Every output of a command is checked before any of them is written and before the work: a directory that
 * cannot be created (here under {@code /proc}, where no process can create one) fails the command at once with
 * one sentence naming the option and the directory, and an existing output named beside it is left as it was.
 */
class OutputPathsTest {
  @TempDir Path dir;

  /** A directory no process can create: {@code /proc} takes no new entries. */
  private static Path uncreatable() {
    Path p = Path.of("/proc/sbgm-no-such-dir/sub");
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc")) && !Files.exists(p.getParent()), "needs Linux's /proc");
    return p;
  }

  @Test
  void aSecondOutputThatCannotBeWrittenLeavesTheFirstAsItWas() throws Exception {
    Path bad = uncreatable();
    byte[] old = "an earlier result".getBytes(StandardCharsets.UTF_8);
    Path pairs = Files.write(dir.resolve("pairs.npz"), old);
    Cli.Result r = Cli.userError(Cli.args("simulate", "linear-gaussian", "--n", "10", "--out", pairs.toString(),
        "--observed", bad.resolve("x_obs.npy").toString(), "--threads", "1"),
        "--observed cannot be written: the directory '" + bad + "' cannot be created (");
    assertEquals(1, r.errLines().size(), r.err());
    assertArrayEquals(old, Files.readAllBytes(pairs), "the existing --out was changed");

    Path fresh = dir.resolve("fresh.npz");
    Cli.userError(Cli.args("simulate", "linear-gaussian", "--n", "10", "--out", fresh.toString(), "--observed",
        bad.resolve("x_obs.npy").toString(), "--threads", "1"), "--observed cannot be written");
    assertFalse(Files.exists(fresh), "a failed run left its first output behind");
  }

  @Test
  void benchAndMeasureCheckWhereTheyWriteBeforeTheWork() {
    Path bad = uncreatable();
    Cli.Result bench = Cli.userError(Cli.args("bench", "--only", "mlp-train-256", "--json", bad.resolve("b.json").toString()),
        "--json cannot be written: the directory '" + bad + "' cannot be created (");
    assertFalse(bench.out().contains("mlp-train-256"), "the workload ran before the check: " + bench.out());
    Cli.userError(Cli.args("bench", "--only", "mlp-train-256", "--json", dir.resolve("b.txt").toString()),
        "--json must name a .json file, got '" + dir.resolve("b.txt") + "'");
    Cli.Result measure = Cli.userError(Cli.args("measure", "samplers", "--out", bad.toString(), "--quiet"),
        "--out cannot be written: the directory '" + bad + "' cannot be created (");
    assertTrue(measure.out().isEmpty(), measure.out());
  }

  @Test
  void missingDirectoriesOfAnOutputAreCreatedUpFront() throws Exception {
    Path out = dir.resolve("a/b/pairs.npz");
    Cli.ok("simulate", "linear-gaussian", "--n", "10", "--out", out.toString(), "--threads", "1");
    assertTrue(Files.isRegularFile(out));
    try (var entries = Files.list(out.getParent())) {
      assertEquals(1, entries.count(), "no probe or temporary file is left beside the output");
    }
  }

  @Test
  void aFileSystemFailureNamesTheTargetAndTheReasonNotTheTemporaryFile() {
    Path bad = uncreatable().resolve("x.npy");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(bad, new byte[] {1}));
    assertTrue(e.getMessage().startsWith("cannot write " + bad + ": "), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    assertFalse(e.getMessage().endsWith(": "), e.getMessage());
  }

  @Test
  void anArchiveOfSeveralArraysIsReadByName() throws Exception {
    Path npz = dir.resolve("two.npz");
    java.util.Map<String, org.bytedeco.pytorch.Tensor> arrays = new java.util.LinkedHashMap<>();
    arrays.put("x", org.sbgm.torch.Torch.tensor(new double[] {0, 0, 1, 0, -1, 0.5}, 3, 2));
    arrays.put("theta", org.sbgm.torch.Torch.tensor(new double[9], 3, 3));
    org.sbgm.io.Npz.write(npz, arrays, false);
    String mixture = ShardedCliTest.MIXTURE.toString();
    Path ll = dir.resolve("ll.npy");
    Cli.userError(Cli.args("loglik", "--oracle", mixture, "--data", npz.toString(), "--out", ll.toString(), "--quiet"),
        "holds the arrays [x, theta]; name the one to read", "--array");
    Cli.ok("loglik", "--oracle", mixture, "--data", npz.toString(), "--array", "x", "--out", ll.toString(), "--quiet");
    assertArrayEquals(new long[] {3}, org.sbgm.io.Npy.read(ll).shape());
    Cli.userError(Cli.args("loglik", "--oracle", mixture, "--data", npz.toString(), "--array", "theta", "--out",
        dir.resolve("ll2.npy").toString(), "--quiet"), "[3, 3]", "[N, 2]");
  }
}
