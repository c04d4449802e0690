package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;
import org.sbgm.io.Npz;
import org.sbgm.torch.Torch;

/**
 * The conditional commands end to end: {@code simulate} writes pairs, {@code train} reads them as conditional
 * data, {@code sample} takes one condition for all samples or one per sample (and guidance), {@code loglik}
 * matches condition rows to data rows, {@code infer} runs a grid (against the exact conditional oracle) or an
 * MCMC and writes draws and a figure; every bad condition input is one line with exit status 2 and nothing written.
 */
class ConditionalCliTest {
  @TempDir static Path dir;
  static Path posterior;
  static Path likelihood;
  static Path observed;

  @BeforeAll
  static void setUp() throws Exception {
    Torch.init();
    Path pairs = dir.resolve("pairs.npz");
    observed = dir.resolve("x_obs.npy");
    Cli.Result sim = Cli.ok("simulate", "linear-gaussian", "--n", "3000", "--out", pairs.toString(), "--observed",
        observed.toString(), "--seed", "1", "--quiet", "--threads", "1");
    assertEquals("0.7692,0.7692,0.7692", sim.values().get("exact_posterior_mean"));
    assertEquals(0.2308, sim.number("exact_posterior_variance"), 1e-4);
    assertEquals(java.util.List.of("theta", "x"), Npz.names(pairs));
    posterior = train("posterior", "theta", "x", 0.2);
    likelihood = train("likelihood", "x", "theta", 0.0);
  }

  static Path train(String name, String data, String condition, double dropout) throws Exception {
    Path config = Cli.write(dir.resolve(name + ".yaml"), String.join("\n",
        "data: {source: file, path: pairs.npz, array: " + data + ", parameters: " + condition + "}",
        "network: {type: mlp, width: 32, depth: 2, conditionDropout: " + dropout + "}",
        "training: {steps: 150, batchSize: 128, lr: 3e-3, warmupSteps: 10, seed: 0}", ""));
    Path out = dir.resolve(name);
    Cli.ok("train", "--config", config.toString(), "--out", out.toString(), "--quiet", "--threads", "1");
    return out;
  }

  private static String[] sample(Path model, String... extra) {
    return EndToEndTest.concat(new String[] {"sample", "--model", model.toString(), "--sampler", "em", "--steps", "20",
        "--quiet", "--threads", "1"}, extra);
  }

  @Test
  void sampleTakesOneConditionForAllOrOnePerSampleAndGuidance() throws Exception {
    Path all = dir.resolve("all.npy");
    Cli.ok(sample(posterior, "--conditions", observed.toString(), "--n", "40", "--out", all.toString()));
    assertArrayEquals(new long[] {40, 3}, Npy.read(all).shape());
    Path same = dir.resolve("same.npy");
    Cli.ok(sample(posterior, "--condition", "0,0,0", "--n", "40", "--out", same.toString()));
    assertArrayEquals(Files.readAllBytes(all), Files.readAllBytes(same), "--condition 0,0,0 is the file's one row of zeros");

    Path rows = dir.resolve("rows.csv");
    Cli.write(rows, "x1,x2,x3\n0,0,0\n1,1,1\n-1,0,2\n0.5,0.5,0.5\n0,0,0\n");
    Path perRow = dir.resolve("per-row.npy");
    Cli.ok(sample(posterior, "--conditions", rows.toString(), "--out", perRow.toString()));
    assertArrayEquals(new long[] {5, 3}, Npy.read(perRow).shape(), "one sample per condition row, --n taken from the file");
    Cli.userError(sample(posterior, "--conditions", rows.toString(), "--n", "7", "--out", dir.resolve("x.npy").toString()),
        "--n 7 does not match the 5 rows of --conditions", "leave --n out or give --n 5");

    Path zero = dir.resolve("zero.npy");
    Path guided = dir.resolve("guided.npy");
    Cli.ok(sample(posterior, "--conditions", observed.toString(), "--n", "40", "--guidance", "0", "--out", zero.toString()));
    Cli.ok(sample(posterior, "--conditions", observed.toString(), "--n", "40", "--guidance", "2", "--out", guided.toString()));
    assertArrayEquals(Files.readAllBytes(all), Files.readAllBytes(zero), "--guidance 0 is the conditional sampler bit for bit");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(all), Files.readAllBytes(guided)));
    Cli.userError(sample(likelihood, "--condition", "0,0,0", "--n", "4", "--guidance", "1", "--out",
        dir.resolve("g.npy").toString()), "guidance needs a model trained with condition dropout", "conditionDropout 0.0");
    Cli.userError(sample(posterior, "--n", "4", "--out", dir.resolve("none.npy").toString()),
        "this model is conditional: give its parameters, 3 values, with --condition", "--conditions FILE");
    assertFalse(Files.exists(dir.resolve("none.npy")));
  }

  @Test
  void loglikMatchesConditionRowsToDataRows() throws Exception {
    Path thetas = dir.resolve("thetas.npy");
    Npy.write(thetas, new double[] {0.7, 0.8, 0.9, 0.1, 0.2, 0.3, 1.5, 0.5, 0.0}, 3, 3);
    Path conditions = dir.resolve("conditions.npy");
    Npy.write(conditions, new double[] {0, 0, 0, 1, 0, -1, 0.2, 0.2, 0.2}, 3, 3);
    Path ll = dir.resolve("ll.npy");
    Cli.ok("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--conditions", conditions.toString(),
        "--out", ll.toString(), "--quiet", "--threads", "1");
    double[] perRow;
    try (PointerScope s = new PointerScope()) {
      perRow = Torch.toDoubles(Npy.readTensor(ll));
    }
    Path single = dir.resolve("single.npy");
    Cli.ok("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--condition", "1,0,-1", "--out",
        single.toString(), "--quiet", "--threads", "1");
    try (PointerScope s = new PointerScope()) {
      assertEquals(perRow[1], Torch.toDoubles(Npy.readTensor(single))[1], 1e-3, "row 1 with its own condition");
    }
    Path limited = dir.resolve("limited.npy");
    Cli.ok("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--conditions", conditions.toString(),
        "--limit", "2", "--out", limited.toString(), "--quiet", "--threads", "1");
    try (PointerScope s = new PointerScope()) {
      assertArrayEquals(java.util.Arrays.copyOf(perRow, 2), Torch.toDoubles(Npy.readTensor(limited)), 1e-3,
          "the adaptive steps serve the whole batch, so a smaller batch moves the last digits");
    }
    Path two = dir.resolve("two.npy");
    Npy.write(two, new double[] {0, 0, 0, 1, 1, 1}, 2, 3);
    Cli.userError(Cli.args("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--conditions",
        two.toString(), "--out", dir.resolve("bad.npy").toString(), "--quiet"), "--conditions", "holds 2 rows", "holds 3 points");
    Path nan = dir.resolve("nan-conditions.npy");
    Npy.write(nan, new double[] {0, Double.NaN, 0}, 1, 3);
    Cli.userError(Cli.args("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--conditions",
        nan.toString(), "--out", dir.resolve("bad.npy").toString(), "--quiet"), "parameter file", "nan-conditions.npy",
        "holds NaN at index [0, 1]");
    Path wide = dir.resolve("wide.npy");
    Npy.write(wide, new double[] {0, 0, 0, 0}, 1, 4);
    Cli.userError(Cli.args("loglik", "--model", posterior.toString(), "--data", thetas.toString(), "--conditions",
        wide.toString(), "--out", dir.resolve("bad.npy").toString(), "--quiet"), "wide.npy", "shape [1, 4]", "3 values per row");
    assertFalse(Files.exists(dir.resolve("bad.npy")));
  }

  @Test
  void inferOnTheConditionalOracleGridMatchesTheExactPosteriorAndMcmcWritesDrawsAndAFigure() throws Exception {
    Path oracle = Cli.write(dir.resolve("conditional.json"), "{\"weights\": [0.4, 0.6], \"means\": [[0, 0], [0.8, 0.4]], "
        + "\"covariances\": [[[0.3, 0.05], [0.05, 0.2]], [[0.25, -0.05], [-0.05, 0.35]]], "
        + "\"maps\": [[[1.0, 0.3], [0.0, 0.8]], [[0.8, 0.0], [0.2, 1.1]]]}");
    Path x = dir.resolve("oracle-x.npy");
    Npy.write(x, new double[] {0.5, 0.2, 0.1, 0.6}, 2, 2);
    Path out = dir.resolve("grid-draws.npy");
    Path png = dir.resolve("grid.png");
    Cli.Result r = Cli.ok("infer", "--oracle", oracle.toString(), "--data", x.toString(), "--prior", "uniform:-3,3",
        "--grid", "20", "--truth", "0,0", "--out", out.toString(), "--png", png.toString(), "--quiet", "--threads", "1");
    String[] mean = r.values().get("posterior_mean").split(",");
    String[] exact = r.values().get("exact_mean").split(",");
    String[] sd = r.values().get("posterior_sd").split(",");
    String[] exactSd = r.values().get("exact_sd").split(",");
    for (int j = 0; j < 2; j++) {
      assertEquals(Double.parseDouble(exact[j]), Double.parseDouble(mean[j]), 2e-4);
      assertEquals(Double.parseDouble(exactSd[j]), Double.parseDouble(sd[j]), 2e-4);
    }
    assertArrayEquals(new long[] {4000, 2}, Npy.read(out).shape());
    assertTrue(Files.size(png) > 10_000);

    Path draws = dir.resolve("mcmc-draws.npy");
    Path corner = dir.resolve("corner.png");
    Cli.Result m = Cli.ok("infer", "--model", likelihood.toString(), "--data", observed.toString(), "--prior", "normal:0,1",
        "--chains", "8", "--steps", "12", "--burn-in", "4", "--rtol", "1e-3", "--atol", "1e-3", "--truth", "0.77,0.77,0.77",
        "--out", draws.toString(), "--png", corner.toString(), "--quiet", "--threads", "1");
    assertArrayEquals(new long[] {8 * 8, 3}, Npy.read(draws).shape());
    assertEquals(25, m.number("solves"), "two solves per step and one for the initial walkers");
    for (String key : new String[] {"acceptance", "rhat", "ess", "posterior_mean", "posterior_sd", "nfe"}) {
      assertTrue(m.values().containsKey(key), key);
    }
    assertTrue(Files.size(corner) > 10_000);
  }

  @Test
  void badInferAndSimulateInputsAreOneLine() throws Exception {
    String out = dir.resolve("never.npy").toString();
    Cli.userError(Cli.args("infer", "--model", likelihood.toString(), "--data", observed.toString(), "--prior", "gamma:1,2",
        "--out", out, "--quiet"), "the prior must be uniform:LO,HI", "got 'gamma:1,2'");
    Cli.userError(Cli.args("infer", "--model", likelihood.toString(), "--data", observed.toString(), "--prior", "normal:0,1",
        "--grid", "10", "--out", out, "--quiet"), "--grid covers at most 2 parameters, but the model has 3");
    Cli.userError(Cli.args("infer", "--model", likelihood.toString(), "--data", observed.toString(), "--prior", "normal:0,1",
        "--chains", "7", "--out", out, "--quiet"), "--chains/--steps/--burn-in", "even and at least 4, got 7");
    Cli.userError(Cli.args("infer", "--model", likelihood.toString(), "--data", observed.toString(), "--prior", "normal:0,1",
        "--truth", "1,2", "--out", out, "--quiet"), "--truth must hold the model's 3 parameters, got 2");
    Path wrong = dir.resolve("wrong-shape.npy");
    Npy.write(wrong, new double[] {0, 0}, 1, 2);
    Cli.userError(Cli.args("infer", "--model", likelihood.toString(), "--data", wrong.toString(), "--prior", "normal:0,1",
        "--out", out, "--quiet"), "wrong-shape.npy", "shape [1, 2]", "[N, 3]");
    Cli.userError(Cli.args("simulate", "gaussian-mixture", "--n", "10", "--out", dir.resolve("p.npz").toString()),
        "the simulator must be linear-gaussian, got 'gaussian-mixture'");
    assertFalse(Files.exists(Path.of(out)));
  }
}
