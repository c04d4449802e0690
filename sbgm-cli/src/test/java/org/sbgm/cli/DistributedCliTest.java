package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.torch.Torch;
import org.sbgm.train.Checkpoint;

/**
 * {@code sbgm train} over two ranks on loopback, each a child JVM: a rank SIGKILLed or SIGSTOPped
 * mid-run is named by the survivors within the timeout, the last checkpoint verifies and resumes to
 * the uninterrupted run's weights bit for bit (same world size) or within 1e-5 (one rank); bad start-up
 * inputs are one sentence each with exit status 2 (input) or 1 (run).
 */
class DistributedCliTest {
  @TempDir Path dir;

  static final String CONFIG = """
      data: {source: toy, name: moons, n: 2000, seed: 0, validation: 0, transform: standardize}
      sde: {type: vp, betaMin: 0.1, betaMax: 20}
      network: {type: mlp, width: 64, depth: 2, activation: silu, timeEmbedding: {kind: fourier, dim: 16, scale: 16}}
      parameterisation: epsilon
      training: {steps: 300, batchSize: 64, lr: 2e-3, warmupSteps: 10, gradClipNorm: 1.0, emaRate: 0.99,
                 validateEvery: 0, checkpointEvery: 25, seed: 0}
      """;

  Path config() throws IOException {
    Path c = dir.resolve("tiny.yaml");
    if (!Files.exists(c)) {
      Files.writeString(c, CONFIG);
    }
    return c;
  }

  static List<String> sbgm(String... args) {
    List<String> c = ChildJvm.command(Main.class.getName(),
        List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
    c.addAll(List.of(args));
    return c;
  }

  static ChildJvm.Result run(Map<String, String> env, Path log, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the child did not finish: " + command);
    return new ChildJvm.Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Starts {@code train --nproc 2}, waits for its first checkpoint, sends {@code signal} to rank 1; returns the output. */
  ChildJvm.Result interrupted(Path out, String signal, int timeout) throws Exception {
    Path log = dir.resolve(out.getFileName() + ".log");
    Process launcher = new ProcessBuilder(sbgm("train", "--config", config().toString(), "--out", out.toString(),
        "--nproc", "2", "--dist-timeout", Integer.toString(timeout), "--quiet"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(out.resolve("checkpoint.pt")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Optional<ProcessHandle> rank1 = launcher.descendants()
        .filter(h -> String.join(" ", h.info().arguments().orElse(new String[0])).contains("--rank 1 --world-size 2"))
        .findFirst();
    assertTrue(rank1.isPresent(), "rank 1 not found");
    long t0 = System.nanoTime();
    new ProcessBuilder("kill", "-" + signal, Long.toString(rank1.get().pid())).start().waitFor();
    assertTrue(launcher.waitFor(2 * timeout + 30, TimeUnit.SECONDS), "the launcher did not stop");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < timeout + 10, "the run took " + seconds + " s to stop after the " + signal);
    assertTrue(rank1.get().onExit().get(30, TimeUnit.SECONDS) != null);
    return new ChildJvm.Result(launcher.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static Map<String, Tensor> weights(Path modelDir) throws IOException {
    try (Checkpoint c = Checkpoint.read(modelDir.resolve("checkpoint.pt"))) {
      Map<String, Tensor> m = new java.util.LinkedHashMap<>();
      c.tensors("model").forEach((k, v) -> m.put(k, Torch.retain(v.clone())));
      return m;
    }
  }

  @Test
  void aKilledRankIsNamedAndTheRunResumes() throws Exception {
    Path whole = dir.resolve("whole");
    ChildJvm.Result ref = run(Map.of(), dir.resolve("whole.log"),
        sbgm("train", "--config", config().toString(), "--out", whole.toString(), "--nproc", "2", "--quiet"));
    assertEquals(0, ref.code(), ref.output());
    assertTrue(ref.output().contains("step=300 ") && ref.output().contains(" ranks=2 "), ref.output());
    assertTrue(!ref.output().contains("[Gloo]"), ref.output());

    Path cut = dir.resolve("cut");
    ChildJvm.Result killed = interrupted(cut, "KILL", 20);
    assertEquals(1, killed.code(), killed.output());
    assertTrue(killed.output().contains("sbgm: Rank 1 died: its connection closed"), killed.output());
    assertTrue(killed.output().contains("sbgm: rank 1 of 2 was killed by signal 9; the run stopped."), killed.output());
    Checkpoint.read(cut.resolve("checkpoint.pt")).close(); // verifies its digest

    Path one = dir.resolve("one");
    copy(cut, one);
    ChildJvm.Result resumed = run(Map.of(), dir.resolve("resume.log"), sbgm("train", "--config", config().toString(),
        "--out", cut.toString(), "--resume", "--nproc", "2", "--quiet"));
    assertEquals(0, resumed.code(), resumed.output());
    assertArrayEquals(Files.readAllBytes(whole.resolve("weights.pt")), Files.readAllBytes(cut.resolve("weights.pt")),
        "resumed with two ranks: the weights must equal the uninterrupted run's byte for byte");
    assertArrayEquals(Files.readAllBytes(whole.resolve("metrics.csv")), Files.readAllBytes(cut.resolve("metrics.csv")));

    ChildJvm.Result single = run(Map.of(), dir.resolve("one.log"), sbgm("train", "--config", config().toString(),
        "--out", one.toString(), "--resume", "--quiet", "--threads", "1"));
    assertEquals(0, single.code(), single.output());
    assertTrue(single.output().contains(" ranks=1 "), single.output());
    double worst = largestDifference(whole, one);
    assertTrue(worst < 1e-5, "resumed with one rank: largest weight difference " + worst);
  }

  /**
   * Two ranks at B/2 rows each against one process at B on the same global batches: the weights after 50
   * steps agree within 1e-5. That the two ranks hold bit-identical weights is checked by the run itself:
   * before every checkpoint (every 25 steps) the ranks compare a float64 fingerprint of their weights
   * exactly and fail when it differs.
   */
  @Test
  void twoRanksFollowOneProcessOnTheSameGlobalBatches() throws Exception {
    Path two = dir.resolve("two");
    ChildJvm.Result r2 = run(Map.of(), dir.resolve("two.log"), sbgm("train", "--config", config().toString(), "--out",
        two.toString(), "--steps", "50", "--nproc", "2", "--quiet"));
    assertEquals(0, r2.code(), r2.output());
    assertTrue(r2.output().contains("step=50 ") && r2.output().contains(" ranks=2 "), r2.output());
    Path one = dir.resolve("single");
    ChildJvm.Result r1 = run(Map.of(), dir.resolve("single.log"), sbgm("train", "--config", config().toString(), "--out",
        one.toString(), "--steps", "50", "--threads", "1", "--quiet"));
    assertEquals(0, r1.code(), r1.output());
    double worst = largestDifference(two, one);
    assertTrue(worst < 1e-5, "two ranks against one process after 50 steps: largest weight difference " + worst);
  }

  /** The largest absolute difference between the weights of two model directories. */
  static double largestDifference(Path a, Path b) throws Exception {
    Map<String, Tensor> wa = weights(a);
    Map<String, Tensor> wb = weights(b);
    assertEquals(wa.keySet(), wb.keySet());
    double worst = 0;
    for (String k : wa.keySet()) {
      double[] x = Torch.toDoubles(wa.get(k));
      double[] y = Torch.toDoubles(wb.get(k));
      for (int i = 0; i < x.length; i++) {
        worst = Math.max(worst, Math.abs(x[i] - y[i]));
      }
    }
    return worst;
  }

  @Test
  void aStalledRankIsNamedAfterTheTimeout() throws Exception {
    ChildJvm.Result stalled = interrupted(dir.resolve("stall"), "STOP", 4);
    assertEquals(1, stalled.code(), stalled.output());
    assertTrue(stalled.output().contains("sbgm: Rank 1 stalled: no answer to the allreduce within 4 s"), stalled.output());
    assertTrue(stalled.output().contains("sbgm: rank 1 of 2 stalled (reported by rank 0"), stalled.output());
  }

  @Test
  void badStartUpInputsAreOneSentenceEach() throws Exception {
    String cfg = config().toString();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      ChildJvm.Result r = run(Map.of(), dir.resolve("port.log"), sbgm("train", "--config", cfg, "--out",
          dir.resolve("p").toString(), "--rank", "0", "--world-size", "2", "--master", "127.0.0.1:" + taken.getLocalPort()));
      assertEquals(2, r.code(), r.output());
      assertEquals("sbgm: Port " + taken.getLocalPort() + " on 127.0.0.1 is in use; choose another master port"
          + " (--master host:port or MASTER_PORT).", r.output().strip());
    }
    int free = freePort();
    ChildJvm.Result unreachable = run(Map.of(), dir.resolve("unreachable.log"), sbgm("train", "--config", cfg, "--out",
        dir.resolve("u").toString(), "--rank", "1", "--world-size", "2", "--master", "127.0.0.1:" + free,
        "--dist-timeout", "2"));
    assertEquals(1, unreachable.code(), unreachable.output());
    assertTrue(unreachable.output().strip().startsWith("sbgm: Rank 1 could not reach the master 127.0.0.1:" + free
        + " within 2 s"), unreachable.output());
    assertEquals(1, unreachable.output().strip().lines().count(), unreachable.output());

    ChildJvm.Result env = run(Map.of("RANK", "3", "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "29500"),
        dir.resolve("env.log"), sbgm("train", "--config", cfg, "--out", dir.resolve("e").toString()));
    assertEquals(2, env.code(), env.output());
    assertEquals("sbgm: The environment has RANK=3 and WORLD_SIZE=2; expected 0 <= RANK < WORLD_SIZE.", env.output().strip());
    ChildJvm.Result slurm = run(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "2"), dir.resolve("slurm.log"),
        sbgm("train", "--config", cfg, "--out", dir.resolve("s").toString()));
    assertEquals(2, slurm.code(), slurm.output());
    assertTrue(slurm.output().strip().startsWith("sbgm: The SLURM environment names no master: MASTER_ADDR is unset"),
        slurm.output());

    // two explicit ranks with different seeds: both refuse, naming rank 1
    int port = freePort();
    List<Process> ranks = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      ranks.add(new ProcessBuilder(sbgm("train", "--config", cfg, "--out", dir.resolve("m").toString(), "--quiet",
          "--seed", Integer.toString(r), "--rank", Integer.toString(r), "--world-size", "2",
          "--master", "127.0.0.1:" + port, "--dist-timeout", "20"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("m" + r + ".log").toFile()).start());
    }
    for (int r = 0; r < 2; r++) {
      assertTrue(ranks.get(r).waitFor(90, TimeUnit.SECONDS));
      // Gloo prints its "[Gloo] Rank r is connected" note to stdout itself (the launcher filters it)
      String log = Files.readString(dir.resolve("m" + r + ".log")).lines().filter(l -> !l.startsWith("[Gloo]"))
          .collect(java.util.stream.Collectors.joining("\n")).strip();
      assertEquals(1, ranks.get(r).exitValue(), log);
      assertEquals("sbgm: Rank 1's training configuration differs from rank 0's; every rank must run the same"
          + " configuration on the same data.", log);
    }
  }

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
