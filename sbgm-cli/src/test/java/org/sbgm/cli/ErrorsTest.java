package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;

/**
 * Every kind of bad input gets exit status 2, one line on stderr naming the bad value, no stack trace,
 * and leaves no output file behind (an existing one untouched).
 */
class ErrorsTest {
  @TempDir static Path dir;
  static Path model;
  static Path points;
  static Path keep;
  static final byte[] KEEP = "keep me".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void setUp() throws Exception {
    Path config = Cli.write(dir.resolve("tiny.yaml"), Cli.tinyConfig(10));
    model = dir.resolve("model");
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    points = dir.resolve("points.npy");
    Npy.write(points, new double[] {0, 1, 2, 0.5, -1, -2}, 3, 2);
    keep = dir.resolve("keep.npy");
    Files.write(keep, KEEP);
  }

  private static String[] sample(String... extra) {
    return EndToEndTest.concat(new String[] {"sample", "--model", model.toString(), "--n", "10", "--quiet"}, extra);
  }

  private static String[] loglik(String... extra) {
    return EndToEndTest.concat(new String[] {"loglik", "--model", model.toString(), "--quiet"}, extra);
  }

  private static void untouched() throws Exception {
    assertArrayEquals(KEEP, Files.readAllBytes(keep), "an existing output file was changed");
  }

  @Test
  void configErrorsNameTheKeyAndValue() throws Exception {
    Path out = dir.resolve("never");
    String good = Cli.tinyConfig(10);
    Cli.userError(Cli.args("train", "--config", dir.resolve("nope.yaml").toString(), "--out", out.toString()),
        "nope.yaml", "does not exist");
    Path bad = Cli.write(dir.resolve("key.yaml"), good.replace("  steps: 10", "  stpes: 10"));
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "unknown key 'training.stpes'", "steps");
    bad = Cli.write(dir.resolve("neg.yaml"), good.replace("steps: 10", "steps: -5"));
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "training.steps must be at least 1, got -5");
    bad = Cli.write(dir.resolve("type.yaml"), good.replace("type: mlp", "type: cnn"));
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "network.type", "'cnn'", "unet");
    bad = Cli.write(dir.resolve("word.yaml"), good.replace("lr: 2e-3", "lr: fast"));
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "training.lr must be a number", "'fast'");
    bad = Cli.write(dir.resolve("syntax.yaml"), good + "  : : [\n");
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "not valid YAML");
    bad = Cli.write(dir.resolve("weighting.yaml"), good.replace("  seed: 3", "  seed: 3\n  weighting: huber"));
    Cli.userError(Cli.args("train", "--config", bad.toString(), "--out", out.toString()), "training.weighting", "'huber'");
    assertFalse(Files.exists(out));
  }

  @Test
  void dataErrorsNameTheFile() throws Exception {
    Path out = dir.resolve("never-data");
    String fileData = Cli.tinyConfig(10).replace("  source: toy\n  name: eight-gaussians\n  n: 2000\n  seed: 1\n",
        "  source: file\n  path: DATA\n");
    Path missing = Cli.write(dir.resolve("missing.yaml"), fileData.replace("DATA", "absent.npy"));
    Cli.userError(Cli.args("train", "--config", missing.toString(), "--out", out.toString()), "absent.npy", "does not exist");
    Path nan = dir.resolve("nan.npy");
    Npy.write(nan, new double[] {0, 1, 2, Double.NaN, 3, 4, 5, 6}, 4, 2);
    Path withNan = Cli.write(dir.resolve("nan.yaml"), fileData.replace("DATA", nan.toString()));
    Cli.userError(Cli.args("train", "--config", withNan.toString(), "--out", out.toString()), "nan.npy", "NaN", "[1, 1]");
    Path idx = dir.resolve("images-idx3-ubyte");
    byte[] header = {0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4};
    byte[] bytes = java.util.Arrays.copyOf(header, header.length + 64);
    Files.write(idx, bytes);
    Path images = Cli.write(dir.resolve("images.yaml"), fileData.replace("DATA", idx.toString()).replace("  validateEvery: 25\n", ""));
    Cli.userError(Cli.args("train", "--config", images.toString(), "--out", out.toString()), "mlp needs vector data", "[1, 4, 4]");
    assertFalse(Files.exists(out));
  }

  @Test
  void trainRefusesToOverwriteOrToResumeNothing() throws Exception {
    Path config = dir.resolve("tiny.yaml");
    byte[] before = Files.readAllBytes(model.resolve("weights.pt"));
    Cli.userError(Cli.args("train", "--config", config.toString(), "--out", model.toString()), "already exists", "resume");
    assertArrayEquals(before, Files.readAllBytes(model.resolve("weights.pt")));
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    Cli.userError(Cli.args("train", "--config", config.toString(), "--out", empty.toString(), "--resume"), "no checkpoint.pt");
    Cli.userError(Cli.args("train", "--config", config.toString(), "--out", dir.resolve("z").toString(), "--steps", "-4"),
        "--steps must be at least 1, got -4");
    Cli.userError(Cli.args("train", "--config", config.toString(), "--out", dir.resolve("z").toString(), "--threads", "0"),
        "--threads must be at least 1, got 0");
    Cli.userError(Cli.args("train", "--config", config.toString(), "--out", dir.resolve("z").toString(), "--device", "cuda"),
        "cuda");
    assertFalse(Files.exists(dir.resolve("z")));
  }

  @Test
  void sampleOptionErrors() throws Exception {
    String k = keep.toString();
    Cli.userError(sample("--sampler", "heun", "--out", k), "sampler must be one of em, heun-sde, pc, ode, ddim, edm-heun, dpm-solver++, got 'heun'");
    Cli.userError(sample("--sampler", "em", "--steps", "-3", "--out", k), "steps must be at least 1, got -3");
    Cli.userError(sample("--sampler", "em", "--rtol", "1e-3", "--out", k), "rtol and atol apply only to the ode sampler");
    Cli.userError(sample("--sampler", "ode", "--steps", "10", "--rtol", "1e-3", "--out", k), "either steps");
    Cli.userError(sample("--rtol", "-1", "--out", k), "rtol must lie in (0, 1), got -1.0");
    Cli.userError(sample("--out", dir.resolve("x.txt").toString()), "--out must name a .npy file", "x.txt");
    Cli.userError(sample("--out", k, "--png", dir.resolve("grid.jpg").toString()), "--png must name a .png file");
    Cli.userError(sample("--out", k, "--condition", "1,2"), "condition", "unconditional");
    Cli.userError(sample("--out", k, "--batch", "0"), "--batch must be at least 1, got 0");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "0", "--out", k), "--n must be at least 1, got 0");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "many", "--out", k), "'many'", "--n");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "5"), "Missing required option", "--out");
    Cli.userError(sample("--out", k, "--frobnicate"), "Unknown option", "--frobnicate");
    Cli.userError(Cli.args("sample", "--n", "5", "--out", k), "--model DIR", "--oracle");
    Cli.userError(sample("--out", k, "--oracle", dir.resolve("m.json").toString()), "either --model or --oracle");
    Cli.userError(sample("--out", k, "--sde", "ve"), "--sde applies only with --oracle");
    Cli.userError(sample("--out", dir.resolve("sub").toString() + "/"), "--out must name a .npy file");
    untouched();
  }

  @Test
  void loglikDataErrors() throws Exception {
    String k = keep.toString();
    Cli.userError(loglik("--data", dir.resolve("absent.npy").toString(), "--out", k), "absent.npy", "does not exist");
    Path garbage = dir.resolve("garbage.npy");
    Files.writeString(garbage, "this is not an array");
    Cli.userError(loglik("--data", garbage.toString(), "--out", k), "garbage.npy", "not a .npy file");
    Path wide = dir.resolve("wide.npy");
    Npy.write(wide, new double[15], 5, 3);
    Cli.userError(loglik("--data", wide.toString(), "--out", k), "wide.npy", "[5, 3]", "[N, 2]");
    Path nan = dir.resolve("nan-points.npy");
    Npy.write(nan, new double[] {0, 1, Double.NaN, 0}, 2, 2);
    Cli.userError(loglik("--data", nan.toString(), "--out", k), "nan-points.npy", "NaN", "[1, 0]");
    Cli.userError(loglik("--data", points.toString(), "--divergence", "trace", "--out", k),
        "'trace'", "exact or hutchinson");
    Cli.userError(loglik("--data", points.toString(), "--divergence", "exact", "--probes", "3", "--out", k),
        "probes apply only to the hutchinson divergence");
    Cli.userError(loglik("--data", points.toString(), "--divergence", "hutchinson", "--probes", "0", "--out", k),
        "probes must be at least 1, got 0");
    Cli.userError(loglik("--data", points.toString(), "--atol", "0", "--out", k), "atol must lie in (0, 1), got 0.0");
    Cli.userError(loglik("--data", points.toString(), "--limit", "0", "--out", k), "--limit must be at least 1, got 0");
    Path strange = java.nio.file.Files.writeString(dir.resolve("points.dat"), "1,2\n");
    Cli.userError(loglik("--data", strange.toString(), "--out", k), "points.dat", "no known extension");
    Cli.userError(loglik("--data", points.toString(), "--epsilon", "2", "--out", k), "epsilon must lie in (0, 0.5), got 2.0");
    untouched();
  }

  @Test
  void oracleErrors() throws Exception {
    String k = keep.toString();
    Path broken = Cli.write(dir.resolve("broken.json"), "{\"weights\": [1.0], \"means\": [[0, 0]]");
    Cli.userError(Cli.args("loglik", "--oracle", broken.toString(), "--data", points.toString(), "--out", k),
        "broken.json", "not a mixture in JSON");
    Path sum = Cli.write(dir.resolve("sum.json"),
        "{\"weights\": [0.5, 0.6], \"means\": [[0, 0], [1, 1]], \"covariances\": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}");
    Cli.userError(Cli.args("loglik", "--oracle", sum.toString(), "--data", points.toString(), "--out", k),
        "sum.json", "weights must sum to 1");
    Path good = Cli.eightGaussiansJson(dir.resolve("good.json"));
    Cli.userError(Cli.args("sample", "--oracle", good.toString(), "--sde", "edm", "--n", "4", "--out", k),
        "--sde", "'edm'", "vp, subvp or ve");
    Path three = Cli.write(dir.resolve("three.json"),
        "{\"weights\": [1.0], \"means\": [[0, 0, 0]], \"covariances\": [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]}");
    Cli.userError(Cli.args("sample", "--oracle", three.toString(), "--n", "4", "--out", k, "--png",
        dir.resolve("p.png").toString()), "--png", "[3]");
    untouched();
  }

  @Test
  void debugAddsTheStackTrace() {
    Cli.Result r = Cli.run(sample("--sampler", "heun", "--out", keep.toString(), "--debug"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void demoRefusesForeignDirectories() throws Exception {
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("thesis.tex"), "precious");
    Cli.userError(Cli.args("demo", "--out", foreign.toString(), "--quiet"), "does not hold an earlier demo");
    assertEquals("precious", Files.readString(foreign.resolve("thesis.tex")));
    Cli.userError(Cli.args("demo", "--out", keep.toString(), "--quiet"), "is a file");
    Cli.userError(Cli.args("demo", "--out", dir.resolve("d").toString(), "--steps", "0"), "--steps must be at least 1, got 0");
    untouched();
  }

  @Test
  void helpWorksEverywhere() {
    for (String c : new String[] {"demo", "train", "sample", "loglik"}) {
      Cli.Result r = Cli.ok(c, "--help");
      assertTrue(r.out().contains("Usage: sbgm " + c) && r.out().contains("--threads"), r.out());
    }
    try (PointerScope scope = new PointerScope()) {
      assertTrue(Cli.ok("--help").out().contains("loglik"));
    }
  }
}
