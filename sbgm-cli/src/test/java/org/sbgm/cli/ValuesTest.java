package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void mcmcSettingsThatKeepTooFewDrawsAreRefusedBeforeRunning() {
    refused(infer("--prior", "normal:0,1", "--chains", "6", "--steps", "200", "--burn-in", "197"),
        "sbgm: --chains/--steps/--burn-in: the MCMC would keep steps - burn-in = 200 - 197 = 3 draws per walker, but its "
            + "diagnostics need at least 4; the burn-in must lie in [0, 196] for 200 steps");
    refused(infer("--prior", "normal:0,1", "--chains", "6", "--steps", "4"),
        "sbgm: --chains/--steps/--burn-in: the MCMC would keep steps - burn-in = 4 - 2 = 2 draws per walker, but its "
            + "diagnostics need at least 4; the burn-in must lie in [0, 0] for 4 steps");
    refused(infer("--prior", "normal:0,1", "--chains", "6", "--steps", "3"),
        "sbgm: --chains/--steps/--burn-in: the number of MCMC steps must be at least 4 (the draws per walker the diagnostics "
            + "need), got 3");
    assertFalse(Files.exists(Path.of(out())));
  }

  @Test
  void gridsAndChainsTooLargeToHoldAreRefusedBeforeRunning() {
    refused(infer("--prior", "normal:0,1", "--grid", "46341"), "sbgm: --grid 46341: a grid of K^P = 46341^2 = 2147488281 "
        + "points is more than the 2147483639 elements a Java array can hold");
    // the smallest K whose grid (24 bytes a point) exceeds this JVM's heap, where that is below the array limit
    long k = (long) Math.ceil(Math.sqrt(Runtime.getRuntime().maxMemory() / 24.0)) + 1;
    if (k <= 46340) {
      Cli.userError(infer("--prior", "normal:0,1", "--grid", Long.toString(k)), "sbgm: --grid " + k + ": a grid of K^P = "
          + k + "^2 = " + k * k + " points would need ", " of memory, more than the ", " the Java heap may use (-Xmx)");
    }
    refused(infer("--prior", "normal:0,1", "--chains", "2000000000", "--steps", "8"), "sbgm: --chains/--steps/--burn-in: "
        + "2000000000 walkers (chains) × 8 steps = 16000000000 draws is more than the 2147483639 elements a Java array can hold");
    refused(infer("--prior", "normal:0,1", "--chains", "6", "--steps", "2000000000"), "sbgm: --chains/--steps/--burn-in: "
        + "6 walkers (chains) × 2000000000 steps = 12000000000 draws is more than the 2147483639 elements a Java array can hold");
    assertFalse(Files.exists(Path.of(out())));
  }

  @Test
  void priorsWhoseBoxOverflowsOrWhoseDensityUnderflowsAreRefused() {
    refused(infer("--prior", "uniform:0,1e308,-1e308,0", "--grid", "3"), "sbgm: the prior 'uniform:0,1e308,-1e308,0': the "
        + "uniform range of parameter 1 spans [0.0, 1.0E308], beyond the finite range [-1.0E30, 1.0E30] that the parameters "
        + "must lie in");
    refused(infer("--prior", "normal:0,1e300", "--chains", "4", "--steps", "10"), "sbgm: the prior 'normal:0,1e300': the "
        + "normal prior's mean ± 5 sd of parameter 1 spans [-5.0E300, 5.0E300], beyond the finite range [-1.0E30, 1.0E30] "
        + "that the parameters must lie in");
    refused(infer("--prior", "normal:0,1e308", "--grid", "3"), "sbgm: the prior 'normal:0,1e308': the normal prior's mean "
        + "± 5 sd of parameter 1 spans [-Infinity, Infinity], beyond the finite range [-1.0E30, 1.0E30] that the parameters "
        + "must lie in");
    refused(infer("--prior", "normal:0,1e-320", "--grid", "3"), "sbgm: the prior 'normal:0,1e-320': the normal prior of "
        + "parameter 1 needs a standard deviation of at least 1.0E-100 (below it the density underflows), got SD = 1.0E-320");
    assertFalse(Files.exists(Path.of(out())));
  }

  @Test
  void runningOutOfMemoryIsOneSentenceWithExitStatusOne() {
    java.io.StringWriter text = new java.io.StringWriter();
    java.io.PrintWriter err = new java.io.PrintWriter(text, true);
    RuntimeException torch = new RuntimeException("[enforce fail at alloc_cpu.cpp:127] data. DefaultCPUAllocator: not enough "
        + "memory: you tried to allocate 48000000000 bytes.\nException raised from allocate_cpu at ../c10/core/impl/alloc_cpu.cpp");
    assertEquals(1, Main.report(new IllegalStateException("wrapped", torch), err, false));
    assertEquals("sbgm: out of memory: the run needed to allocate 44.7 GiB more than this machine could give; use a smaller "
        + "--n, --batch, --size, --grid, --chains or --steps\n", text.toString());
    text.getBuffer().setLength(0);
    assertEquals(1, Main.report(new RuntimeException("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0)"), err, false));
    assertEquals("sbgm: out of memory: the run needed to allocate 20.0 GiB more than this machine could give; use a smaller "
        + "--n, --batch, --size, --grid, --chains or --steps\n", text.toString());
    text.getBuffer().setLength(0);
    assertEquals(1, Main.report(new OutOfMemoryError("Java heap space"), err, false));
    assertEquals("sbgm: out of memory: the run needed more than the " + org.sbgm.Memory.format(org.sbgm.Memory.heap())
        + " the Java heap may use (-Xmx); use a smaller --n, --batch, --size, --grid, --chains or --steps\n", text.toString());
    text.getBuffer().setLength(0);
    assertEquals(1, Main.report(new OutOfMemoryError("Java heap space"), err, true));
    assertTrue(text.toString().contains("\tat "), "--debug adds the stack trace");
  }

  @Test
  void grfRefusesSpectraItCannotDrawAndSizesItCannotHold() {
    String f = dir.resolve("f.npy").toString();
    refused(Cli.args("grf", "--n", "2", "--size", "16", "--condition", "1e300,3", "--out", f, "--quiet"), "sbgm: --condition "
        + "1e300,3: the power spectrum P(k) = A k^-B at A = 1.0E300, B = 3.0 (zero mode 1.0E-4) spans 1e-4.0 to 1e300.0 over "
        + "the 16 × 16 grid, a ratio above the 1e11.4 that float32 fields resolve (the faintest modes would be lost in rounding)");
    refused(Cli.args("grf", "--n", "2", "--size", "16", "--condition", "1,1e10", "--out", f, "--quiet"), "sbgm: --condition "
        + "1,1e10: the power spectrum P(k) = A k^-B at A = 1.0, B = 1.0E10 spans 10^(-1.05e+10) to 1e0.0 over the 16 × 16 grid "
        + "(k from 1 to 11.31), but must lie in [1e-300, 1e300] for the fields and their density to be finite");
    Cli.userError(Cli.args("grf", "--n", "2", "--size", "16", "--condition", "1,40", "--out", f, "--quiet"),
        "sbgm: --condition 1,40: the power spectrum P(k) = A k^-B at A = 1.0, B = 40.0 (zero mode 1.0E-4) spans 1e-42.1 to");
    refused(Cli.args("grf", "--n", "2", "--size", "16", "--condition", "-1,3", "--out", f, "--quiet"),
        "sbgm: --condition A (the amplitude) must be positive, got -1.0");
    for (String size : new String[] {"65536", "1000000"}) {
      refused(Cli.args("grf", "--n", "1", "--size", size, "--condition", "1,3", "--out", f, "--quiet"),
          "sbgm: --size must be at most 46340 (SIZE² pixels in one array), got " + size);
    }
    refused(Cli.args("grf", "--n", "1", "--size", "40000", "--condition", "1,3", "--out", f, "--quiet"), "sbgm: --n × "
        + "--size² = 1 × 40000² float32 values would make an array of 6.0 GiB, more than the 2.0 GiB one .npy file or .npz "
        + "member can hold here; use a smaller --n or --size");
    refused(Cli.args("grf", "--n", "2000000000", "--condition", "1,3", "--out", f, "--quiet"), "sbgm: --n × --size² = "
        + "2000000000 × 16² float32 values would make an array of 1.9 TiB, more than the 2.0 GiB one .npy file or .npz "
        + "member can hold here; use a smaller --n or --size");
    assertFalse(Files.exists(Path.of(f)));
    Cli.ok("grf", "--n", "2", "--size", "16", "--condition", "2,4", "--out", f, "--quiet", "--threads", "1");
  }

  @Test
  void simulationsTooLargeToHoldOrWriteAreRefusedUpFront() {
    String z = dir.resolve("big.npz").toString();
    refused(Cli.args("simulate", "linear-gaussian", "--n", "1", "--dimension", "2000000000", "--out", z, "--quiet"),
        "sbgm: --n × --dimension = 1 × 2000000000 float32 values would make an array of 7.5 GiB, more than the 2.0 GiB one "
            + ".npy file or .npz member can hold here; use a smaller --n or --dimension");
    refused(Cli.args("simulate", "linear-gaussian", "--n", "2000000000", "--out", z, "--quiet"),
        "sbgm: --n × --dimension = 2000000000 × 3 float32 values would make an array of 22.4 GiB, more than the 2.0 GiB one "
            + ".npy file or .npz member can hold here; use a smaller --n or --dimension");
    Cli.userError(Cli.args("simulate", "linear-gaussian", "--n", "100000", "--dimension", "100000", "--out", z, "--quiet"),
        "sbgm: --n × --dimension = 100000 × 100000 float32 values would make an array of 37.3 GiB");
    refused(Cli.args("simulate", "linear-gaussian", "--n", "10000000", "--dimension", "100", "--out", z, "--quiet"),
        "sbgm: --n × --dimension = 10000000 × 100 float32 values would make an array of 3.7 GiB, more than the 2.0 GiB one "
            + ".npy file or .npz member can hold here; use a smaller --n or --dimension");
    assertFalse(Files.exists(Path.of(z)));
  }

  @Test
  void shapesAreReportedAsTheFileHoldsThemAndRowCountsInPlainWords() throws Exception {
    Path model = Cli.tinyGrfModel(dir, "grf-model", 4);
    Path seven = dir.resolve("f7.npy");
    Npy.write(seven, new double[2 * 7 * 7], 2, 7, 7);
    Path eight = dir.resolve("f8.npy");
    Npy.write(eight, new double[2 * 8 * 8], 2, 8, 8);
    Path c3 = dir.resolve("c3.npy");
    Npy.write(c3, new double[] {1, 2, 3}, 3);
    Path c5 = dir.resolve("c5.npy");
    Npy.write(c5, new double[] {1, 3, 1, 3, 1, 3, 1, 3, 1, 3}, 5, 2);
    String ll = dir.resolve("ll.npy").toString();
    refused(Cli.args("loglik", "--model", model.toString(), "--data", seven.toString(), "--condition", "1,3", "--out", ll,
        "--quiet"), "sbgm: data file '" + seven + "' holds an array of shape [2, 7, 7], but the model expects [N, 1, 8, 8] "
            + "(or [N, 8, 8])");
    refused(Cli.args("loglik", "--model", model.toString(), "--data", eight.toString(), "--conditions", c3.toString(), "--out",
        ll, "--quiet"), "sbgm: parameter file '" + c3 + "' holds an array of shape [3], but the model takes 2 values (A, B) "
            + "per row");
    refused(Cli.args("loglik", "--model", model.toString(), "--data", eight.toString(), "--conditions", c5.toString(), "--out",
        ll, "--quiet"), "sbgm: --conditions " + c5 + " holds 5 rows, but data file '" + eight + "' holds 2 points; expected "
            + "one row for all points or one row per point");
    assertFalse(Files.exists(Path.of(ll)));
  }

  @Test
  void emptyWorkloadListsAndOptionsOfAnotherStudyAreRefused() {
    for (String only : new String[] {"", ",", " , "}) {
      Cli.Result r = Cli.userError(Cli.args("bench", "--only", only), "sbgm: --only names no workload; expected names from ");
      assertTrue(r.errLines().get(0).contains("mlp-train-256,"), r.err());
      assertEquals("", r.out());
    }
    String docs = dir.resolve("docs").toString();
    refused(Cli.args("measure", "samplers", "--hole", "4", "--out", docs), "sbgm: --hole applies only to measure grf, not to "
        + "measure samplers");
    refused(Cli.args("measure", "inverse", "--model", docs, "--method", "dps", "--condition", "1,3", "--steps", "5", "--noise",
        "0.1", "--out", docs), "sbgm: --model, --condition, --method, --steps, --noise apply only to measure grf, not to "
        + "measure inverse");
    assertFalse(Files.exists(Path.of(docs)));
  }
}
