package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.model.TinyRuns;

/**
 * Full disks and read-only directories: the command fails with one line naming the file and the
 * system's reason, the previous checkpoint stays intact (byte for byte) and a later resume from it
 * finishes with exactly the weights of an uninterrupted run.
 *
 * <p>The full disk is real: a file-size limit ({@code ulimit -f}, which even root obeys) on a child
 * process, and, where the machine allows a private mount namespace, a small tmpfs that fills up.
 * The read-only directory is {@code chmod a-w}, or {@code chattr +i} when the tests run as root (who
 * ignores permission bits); the test is skipped where neither stops a write.
 */
class DiskFaultsTest {
  @TempDir static Path dir;
  static Path config;
  static Path trained;
  static Path straight;

  @BeforeAll
  static void train() throws Exception {
    config = Cli.write(dir.resolve("tiny.yaml"), TinyRuns.text(10));
    trained = dir.resolve("trained");
    Cli.ok("train", "--config", config.toString(), "--out", trained.toString(), "--quiet", "--threads", "1");
    straight = dir.resolve("straight");
    Cli.ok("train", "--config", config.toString(), "--out", straight.toString(), "--steps", "20", "--quiet", "--threads", "1");
  }

  private static Path copy(String name) throws IOException {
    return TinyRuns.copy(trained, dir.resolve(name));
  }

  /** Resumes {@code model} to 20 steps without faults and checks the weights equal the uninterrupted run's. */
  private static void resumesToTheUninterruptedWeights(Path model) throws Exception {
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--resume", "--steps", "20", "--quiet", "--threads", "1");
    assertArrayEquals(Files.readAllBytes(straight.resolve("weights.pt")), Files.readAllBytes(model.resolve("weights.pt")),
        "resuming from the checkpoint that survived gives the uninterrupted run's weights");
  }

  @Test
  void aFileSizeLimitFailsTheCheckpointWriteAndKeepsThePreviousOne() throws Exception {
    Path model = copy("limited");
    byte[] checkpoint = Files.readAllBytes(model.resolve("checkpoint.pt"));
    assertTrue(checkpoint.length > 64 * 1024, "the checkpoint must exceed the limit: " + checkpoint.length);
    ChildJvm.Result r = ChildJvm.sbgm("ulimit -f 64;", dir.resolve("limited.log"), "train", "--config", config.toString(),
        "--out", model.toString(), "--resume", "--steps", "20", "--quiet", "--threads", "1");
    assertEquals(2, r.code(), r.output());
    System.out.println("ulimit -f 64: " + r.output());
    List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.output());
    assertTrue(lines.get(0).startsWith("sbgm: could not write the checkpoint of step 20") && lines.get(0).contains("File too large")
        && lines.get(0).contains("checkpoint.pt (step 10) is intact")
        && lines.get(0).contains("step 20 to " + model.resolve("checkpoint.pt")), lines.get(0));
    assertArrayEquals(checkpoint, Files.readAllBytes(model.resolve("checkpoint.pt")), "the previous checkpoint changed");
    try (var s = Files.list(model)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
    }
    resumesToTheUninterruptedWeights(model);
  }

  @Test
  void aFullTmpfsFailsWithNoSpaceLeftAndKeepsThePreviousCheckpoint() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("mnt"));
    ChildJvm.Result probe = ChildJvm.run(List.of("unshare", "-m", "bash", "-c", "mount -t tmpfs -o size=64k tmpfs '" + mount + "'"),
        dir.resolve("probe.log"));
    Assumptions.assumeTrue(probe.code() == 0, "no private mount namespace here: " + probe.output());
    long size;
    try (var s = Files.list(trained)) {
      size = s.mapToLong(p -> p.toFile().length()).sum();
    }
    long kib = size / 1024 + 24; // room for the copy, not for a new checkpoint beside the old one
    Path inside = mount.resolve("model");
    Path sums = dir.resolve("tmpfs-sums.txt");
    List<String> cli = ChildJvm.command(Main.class.getName(), List.of());
    StringBuilder java = new StringBuilder();
    for (String s : cli) {
      java.append(" '").append(s).append("'");
    }
    String script = "set -u; mount -t tmpfs -o size=" + kib + "k tmpfs '" + mount + "' && cp -a '" + trained + "' '" + inside + "'"
        + " && sha256sum '" + inside + "/checkpoint.pt' > '" + sums + "' && " + java + " train --config '" + config
        + "' --out '" + inside + "' --resume --steps 20 --quiet --threads 1; code=$?; sha256sum '" + inside
        + "/checkpoint.pt' >> '" + sums + "'; ls -a '" + inside + "' >> '" + sums + "'; exit $code";
    ChildJvm.Result r = ChildJvm.run(List.of("unshare", "-m", "bash", "-c", script), dir.resolve("tmpfs.log"));
    assertEquals(2, r.code(), r.output());
    List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
    System.out.println("tmpfs of " + kib + " KiB: " + r.output());
    assertEquals(1, lines.size(), r.output());
    assertTrue(lines.get(0).contains("No space left on device") && lines.get(0).contains("(step 10) is intact"), lines.get(0));
    List<String> recorded = Files.readAllLines(sums);
    assertEquals(recorded.get(0).split(" ")[0], recorded.get(1).split(" ")[0], "the previous checkpoint changed: " + recorded);
    assertTrue(recorded.stream().noneMatch(l -> l.endsWith(".tmp")), "a temporary file was left: " + recorded);
  }

  @Test
  void aReadOnlyDirectoryIsRefusedAndLeftAsItWas() throws Exception {
    Path model = copy("read-only");
    Map<String, String> before = MalformedInputTest.snapshot(model);
    boolean immutable = makeReadOnly(model);
    try {
      Assumptions.assumeTrue(!writable(model), "neither chmod nor chattr stops writes into " + model);
      Cli.Result r = Cli.userError(Cli.args("train", "--config", config.toString(), "--out", model.toString(), "--resume",
          "--steps", "20", "--quiet", "--threads", "1"), "cannot write the model directory", model.toString());
      String line = r.errLines().get(0);
      System.out.println("read-only (" + (immutable ? "chattr +i" : "chmod") + "): " + line);
      assertTrue(line.contains("ermission denied") || line.contains("Operation not permitted") || line.contains("Read-only"), line);
      Path out = model.resolve("samples.npy");
      Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "4", "--out", out.toString(), "--quiet",
          "--threads", "1"), "--out cannot be written", "no file can be created in the directory");
      assertFalse(Files.exists(out));
    } finally {
      restore(model, immutable);
    }
    assertEquals(before, MalformedInputTest.snapshot(model), "the read-only directory changed");
    resumesToTheUninterruptedWeights(model);
  }

  /** Removes write permission; as root (who ignores it) also sets the immutable attribute. Returns whether it did. */
  private static boolean makeReadOnly(Path model) throws Exception {
    Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (writable(model)) {
      return ChildJvm.run(List.of("chattr", "+i", model.toString()), dir.resolve("chattr.log")).code() == 0;
    }
    return false;
  }

  private static void restore(Path model, boolean immutable) throws Exception {
    if (immutable) {
      ChildJvm.run(List.of("chattr", "-i", model.toString()), dir.resolve("chattr.log"));
    }
    Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static boolean writable(Path d) {
    try {
      Files.delete(Files.createFile(d.resolve(".probe")));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
