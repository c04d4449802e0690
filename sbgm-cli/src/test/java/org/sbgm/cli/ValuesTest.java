package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;
import org.sbgm.torch.Torch;

/**
 * Values that are well-formed but impossible: non-finite numbers, parameters whose results overflow, sizes
 * beyond memory or an int, MCMC settings that could never give diagnostics. Each is one sentence naming the
 * option, exit status 2, before any work is done and with nothing written.
 */
class ValuesTest {
  @TempDir static Path dir;
  static Path oracle;
  static Path x;

  @BeforeAll
  static void setUp() throws Exception {
    Torch.init();
    oracle = Cli.write(dir.resolve("conditional.json"), "{\"weights\": [0.4, 0.6], \"means\": [[0, 0], [0.8, 0.4]], "
        + "\"covariances\": [[[0.3, 0.05], [0.05, 0.2]], [[0.25, -0.05], [-0.05, 0.35]]], "
        + "\"maps\": [[[1.0, 0.3], [0.0, 0.8]], [[0.8, 0.0], [0.2, 1.1]]]}");
    x = dir.resolve("x.npy");
    Npy.write(x, new double[] {0.5, 0.2}, 1, 2);
  }

  /** Expects exit status 2 and exactly {@code line} as the one line on stderr. */
  static void refused(String[] args, String line) {
    Cli.Result r = Cli.userError(args);
    assertEquals(line, r.errLines().get(0));
  }

  private static String out() {
    return dir.resolve("never.npy").toString();
  }

  private static String[] infer(String... extra) {
    return EndToEndTest.concat(new String[] {"infer", "--oracle", oracle.toString(), "--data", x.toString(), "--out", out(),
        "--quiet", "--threads", "1"}, extra);
  }

  @Test
  void nonFiniteNumbersOnTheCommandLineAreRefusedNamingTheOption() {
    String z = dir.resolve("z.npz").toString();
    refused(Cli.args("simulate", "linear-gaussian", "--n", "10", "--observation", "1,NaN,2", "--out", z, "--quiet"),
        "sbgm: --observation value 'NaN' is not a finite number (in '1,NaN,2'); expected finite numbers");
    refused(Cli.args("simulate", "linear-gaussian", "--n", "10", "--observation", "1e400,0,0", "--out", z, "--quiet"),
        "sbgm: --observation value '1e400' is not a finite number (in '1e400,0,0'); expected finite numbers");
    refused(Cli.args("simulate", "linear-gaussian", "--n", "10", "--observation", "0,-Infinity,0", "--out", z,
        "--quiet"), "sbgm: --observation value '-Infinity' is not a finite number (in '0,-Infinity,0'); expected finite numbers");
    refused(Cli.args("grf", "--n", "2", "--size", "8", "--condition", "1,NaN", "--out", out(), "--quiet"),
        "sbgm: --condition value 'NaN' is not a finite number (in '1,NaN'); expected finite numbers");
    refused(infer("--prior", "uniform:-3,3", "--grid", "4", "--truth", "NaN,0.5"),
        "sbgm: --truth value 'NaN' is not a finite number (in 'NaN,0.5'); expected finite numbers");
    assertFalse(Files.exists(Path.of(z)));
    assertFalse(Files.exists(Path.of(out())));
  }

  @Test
  void countsInMessagesAgreeInNumber() {
    refused(infer("--prior", "uniform:-3,3", "--grid", "4", "--truth", "0.5"),
        "sbgm: --truth must hold the model's 2 parameters, got 1 value");
    refused(infer("--prior", "uniform:-3,3", "--grid", "4", "--truth", "0.5,1,2"),
        "sbgm: --truth must hold the model's 2 parameters, got 3 values");
    refused(Cli.args("simulate", "linear-gaussian", "--n", "10", "--dimension", "1", "--observation", "1,2", "--out",
        dir.resolve("z.npz").toString(), "--quiet"), "sbgm: --observation must hold 1 value, got 2");
  }
}
