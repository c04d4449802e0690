package org.sbgm.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/compare.sh's interleaving and table, with a fake sbgm (its times change per round) and a fake
 * Python whose "reference script" is a file of fixed lines, so no workload runs.
 */
class CompareScriptTest {
  private static final Path SCRIPT = Path.of("..", "bench", "compare.sh").toAbsolutePath().normalize();

  private static Path executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static String[] run(Path dir, Map<String, String> env, String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "bash";
    cmd[1] = SCRIPT.toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("TMPDIR", dir.toString());
    pb.redirectError(dir.resolve("stderr").toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    return new String[] {Integer.toString(code), out, Files.readString(dir.resolve("stderr"))};
  }

  /** A fake sbgm printing round-dependent times: round k prints mlp 1+k ms, unet 400+100k ms. */
  private static Path fakeSbgm(Path dir, long unetParams) throws IOException {
    Path count = dir.resolve("count");
    return executable(dir.resolve("sbgm"), "#!/bin/bash\n"
        + "echo \"$@\" >> " + dir.resolve("sbgm-args") + "\n"
        + "n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count + "\n"
        + "printf 'mlp-train-256\\t%d.000\\tparams=141058\\t(a)\\n' $((1+n))\n"
        + "printf 'sgemm-2048\\t171.799\\tGFLOP/s=100.0\\t(mm)\\n'\n"
        + "printf 'unet-train-64\\t%d.000\\tparams=" + unetParams + "\\t(b) [50.00 GFLOP/step (3x forward)]\\n' $((400+100*n))\n");
  }

  /** A fake python: "-c ..." (the torch check) succeeds or fails; a script argument is printed as is. */
  private static Path fakePython(Path dir, boolean hasTorch) throws IOException {
    return executable(dir.resolve("python"), "#!/bin/bash\n"
        + "if [ \"$1\" = -c ]; then exit " + (hasTorch ? 0 : 1) + "; fi\n"
        + "echo \"$@\" >> " + dir.resolve("python-args") + "\n"
        + "cat \"$1\"\n");
  }

  @Test
  void tableOfMediansAndRatios(@TempDir Path dir) throws Exception {
    Path ref = dir.resolve("ref.py");
    Files.writeString(ref, "mlp-train-256\t4.000\tparams=141058\t(a)\nunet-train-64\t625.000\tparams=793697\t(b)\n");
    String[] r = run(dir, Map.of("SBGM", fakeSbgm(dir, 793697).toString(), "PYTHON", fakePython(dir, true).toString()),
        ref.toString(), "--threads", "2", "--rounds", "4", "--only", "mlp-train-256,unet-train-64");
    assertEquals("0", r[0], r[2]);
    // Java medians over 4 rounds: mlp (2,3,4,5) -> 3.5; unet (500,600,700,800) -> 650.
    assertTrue(r[1].contains("threads=2 rounds=4"), r[1]);
    assertTrue(r[1].matches("(?s).*mlp-train-256 +3\\.500 +4\\.000 +0\\.875  141058/141058\n.*"), r[1]);
    assertTrue(r[1].matches("(?s).*unet-train-64 +650\\.000 +625\\.000 +1\\.040  793697/793697\n.*"), r[1]);
    assertTrue(r[1].matches("(?s).*sgemm-2048 +171\\.799 +- +- .*sbgm only.*"), r[1]);
    // 50 GFLOP in 650 ms and 625 ms; sgemm 2*2048^3 FLOP in 171.799 ms.
    assertTrue(r[1].contains("java 76.9 GFLOP/s, pytorch 80.0 GFLOP/s; sgemm-2048 median 100.0 GFLOP/s"), r[1]);
    // Interleaved, same thread count and selection on both sides, 4 runs each.
    String expected = "bench --threads 2 --only mlp-train-256,unet-train-64\n";
    assertEquals(expected.repeat(4), Files.readString(dir.resolve("sbgm-args")));
    assertEquals((ref + " --threads 2 --only mlp-train-256,unet-train-64\n").repeat(4),
        Files.readString(dir.resolve("python-args")));
    String order = r[2].replaceAll("(?m)^compare.sh: round (\\d)/4: (sbgm|\\S*ref.py).*$", "$1$2")
        .replaceAll("(?m)^compare.sh: raw.*\n?", "").replace("\n", " ").replace(ref.toString(), "ref");
    assertEquals("1sbgm 1ref 2sbgm 2ref 3sbgm 3ref 4sbgm 4ref ", order);
  }

  @Test
  void parameterMismatchIsFlaggedAndFails(@TempDir Path dir) throws Exception {
    Path ref = dir.resolve("ref.py");
    Files.writeString(ref, "unet-train-64\t625.000\tparams=793697\t(b)\n");
    String[] r = run(dir, Map.of("SBGM", fakeSbgm(dir, 810000).toString(), "PYTHON", fakePython(dir, true).toString()),
        ref.toString());
    assertEquals("1", r[0], r[1] + r[2]);
    assertTrue(r[1].contains("810000/793697  PARAMETER COUNTS DIFFER BY MORE THAN 1%"), r[1]);
  }

  @Test
  void missingTorchIsExplainedAndNothingRuns(@TempDir Path dir) throws Exception {
    Path ref = dir.resolve("ref.py");
    Files.writeString(ref, "x\t1\tparams=1\t(x)\n");
    String[] r = run(dir, Map.of("SBGM", fakeSbgm(dir, 1).toString(), "PYTHON", fakePython(dir, false).toString()),
        ref.toString());
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("PyTorch is not available") && r[2].contains("python3-torch libopenblas0-pthread"), r[2]);
    assertTrue(!Files.exists(dir.resolve("sbgm-args")), "sbgm ran although PyTorch is missing");
  }

  @Test
  void fewerThanThreeRoundsRefused(@TempDir Path dir) throws Exception {
    Path ref = dir.resolve("ref.py");
    Files.writeString(ref, "");
    String[] r = run(dir, Map.of("PYTHON", fakePython(dir, true).toString()), ref.toString(), "--rounds", "2");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--rounds must be at least 3"), r[2]);
  }
}
