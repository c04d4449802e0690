package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.NdArray;
import org.sbgm.io.Npy;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sdes;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import org.sbgm.data.Toy;

/** Train a tiny model through the CLI, then sample and compute likelihoods with every method. */
class EndToEndTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void train() throws Exception {
    Path config = Cli.write(dir.resolve("tiny.yaml"), Cli.tinyConfig(50));
    model = dir.resolve("model");
    Cli.Result r = Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    assertEquals(50, r.number("step"));
  }

  @Test
  void trainWritesACompleteModelDirectory() throws Exception {
    for (String f : List.of("model.yaml", "weights.pt", "checkpoint.pt", "metrics.csv", "loss.png", "manifest.sha256")) {
      assertTrue(Files.isRegularFile(model.resolve(f)), f);
    }
    List<String> metrics = Files.readAllLines(model.resolve("metrics.csv"));
    assertEquals("step,loss,lr,val_loss", metrics.get(0));
    assertEquals(51, metrics.size());
    assertEquals(2, metrics.stream().skip(1).filter(l -> !l.endsWith(",")).count(), "validation at steps 25 and 50");
    String spec = Files.readString(model.resolve("model.yaml"));
    assertTrue(spec.contains("format: sbgm-model/1") && spec.contains("type: standardize") && spec.contains("step: 50"), spec);
  }

  @Test
  void samplesReplayFromTheSeedAndDependOnIt() throws Exception {
    Path a = dir.resolve("seed-a.npy");
    Path b = dir.resolve("seed-b.npy");
    Path c = dir.resolve("seed-c.npy");
    for (Object[] run : new Object[][] {{a, "9"}, {b, "9"}, {c, "10"}}) {
      Cli.ok("sample", "--model", model.toString(), "--n", "20", "--sampler", "pc", "--steps", "10", "--seed",
          (String) run[1], "--out", run[0].toString(), "--quiet", "--threads", "1");
    }
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertFalse(java.util.Arrays.equals(Npy.read(a).data(), Npy.read(c).data()));
  }

  @Test
  void samplersWriteFiniteSamplesOfTheRightShape() throws Exception {
    for (String[] s : new String[][] {{"em", "--steps", "40"}, {"heun-sde", "--steps", "20"}, {"pc", "--steps", "20"},
        {"ode", "--rtol", "1e-4", "--atol", "1e-4"}, {"ode", "--steps", "10"}}) {
      Path out = dir.resolve("samples-" + s[0] + s.length + ".npy");
      String[] args = concat(new String[] {"sample", "--model", model.toString(), "--n", "300", "--out", out.toString(),
          "--quiet", "--threads", "1", "--sampler"}, s);
      Cli.Result r = Cli.ok(args);
      NdArray a = Npy.read(out);
      assertArrayEquals(new long[] {300, 2}, a.shape());
      for (double v : a.data()) {
        assertTrue(Double.isFinite(v));
      }
      if (s[1].equals("--steps")) {
        // em: 1 per step; heun-sde and pc (one corrector): 2 per step; ode with RK4: 4 per step
        assertEquals(40, r.number("nfe"), r.out());
      } else {
        assertTrue(r.number("nfe") >= 20, r.out());
      }
      assertTrue(r.number("seconds") >= 0);
    }
  }

  @Test
  void pngAndTrajectoryOfTwoDimensionalSamples() throws Exception {
    Path out = dir.resolve("pics.npy");
    Cli.ok("sample", "--model", model.toString(), "--n", "200", "--sampler", "em", "--steps", "30", "--out", out.toString(),
        "--png", dir.resolve("pics.png").toString(), "--trajectory", dir.resolve("strip.png").toString(), "--quiet");
    assertTrue(Files.size(dir.resolve("pics.png")) > 1000);
    java.awt.image.BufferedImage strip = javax.imageio.ImageIO.read(dir.resolve("strip.png").toFile());
    assertTrue(strip.getWidth() > 4 * strip.getHeight(), "a row of panels at several times");
  }

  @Test
  void loglikExactAndHutchinsonAgreeOnAverage() throws Exception {
    Path data = dir.resolve("points.npy");
    try (PointerScope scope = new PointerScope()) {
      Npy.write(data, Toy.eightGaussians(200, Torch.generator(11)));
    }
    Path exact = dir.resolve("ll-exact.npy");
    Cli.Result e = Cli.ok("loglik", "--model", model.toString(), "--data", data.toString(), "--divergence", "exact",
        "--out", exact.toString(), "--quiet", "--threads", "1");
    Path hutch = dir.resolve("ll-hutch.npy");
    Cli.Result h = Cli.ok("loglik", "--model", model.toString(), "--data", data.toString(), "--divergence", "hutchinson",
        "--probes", "4", "--out", hutch.toString(), "--quiet", "--threads", "1");
    NdArray a = Npy.read(exact);
    NdArray b = Npy.read(hutch);
    assertArrayEquals(new long[] {200}, a.shape());
    assertArrayEquals(new long[] {200}, b.shape());
    for (int i = 0; i < 200; i++) {
      assertTrue(Double.isFinite(a.data()[i]) && Double.isFinite(b.data()[i]));
    }
    // Hutchinson is unbiased for the divergence; the mean over 200 points agrees closely.
    assertEquals(e.number("mean_nats"), h.number("mean_nats"), 0.05);
    assertTrue(e.number("nfe") > 10);
    // A 50-step model is poor, but far better than a broad Gaussian (about -4.9 nats on these points).
    assertTrue(e.number("mean_nats") > -4.5, e.out());
  }

  @Test
  void loglikReadsCsvAndKeepsTheFirstLimitPoints() throws Exception {
    Path mixture = Cli.eightGaussiansJson(dir.resolve("eight-csv.json"));
    Path csv = dir.resolve("points.csv");
    double[] xy;
    try (PointerScope scope = new PointerScope()) {
      xy = Torch.toDoubles(Toy.eightGaussians(10, Torch.generator(6), DType.FLOAT64));
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      text.append(xy[2 * i]).append(',').append(xy[2 * i + 1]).append('\n');
    }
    java.nio.file.Files.writeString(csv, text);
    Path out = dir.resolve("csv-ll.npy");
    Cli.ok("loglik", "--oracle", mixture.toString(), "--data", csv.toString(), "--limit", "4",
        "--rtol", "1e-7", "--atol", "1e-7", "--out", out.toString(), "--quiet", "--threads", "1");
    double[] got = Npy.read(out).data();
    assertEquals(4, got.length);
    double[] want;
    try (PointerScope scope = new PointerScope()) {
      GaussianMixtureScore exact = new GaussianMixtureScore(Toy.eightGaussiansMixture(), Sdes.vp());
      want = Torch.toDoubles(exact.logDensity(Torch.tensor(java.util.Arrays.copyOf(xy, 8), DType.FLOAT64, 4, 2), 1e-5));
    }
    for (int i = 0; i < 4; i++) {
      // CSV holds float32 values (the reader's dtype), so the points differ from the float64 ones by ~1e-7
      assertEquals(want[i], got[i], 1e-3, "point " + i);
    }
  }

  @Test
  void oracleLoglikMatchesTheExactDensity() throws Exception {
    Path mixture = Cli.eightGaussiansJson(dir.resolve("eight.json"));
    Path data = dir.resolve("oracle-points.npy");
    Tensor points;
    try (PointerScope scope = new PointerScope()) {
      points = Torch.retain(Toy.eightGaussians(64, Torch.generator(5), DType.FLOAT64));
      Npy.write(data, points);
    }
    for (String sde : List.of("vp", "subvp", "ve")) {
      Path out = dir.resolve("oracle-" + sde + ".npy");
      Cli.Result r = Cli.ok("loglik", "--oracle", mixture.toString(), "--sde", sde, "--data", data.toString(),
          "--rtol", "1e-7", "--atol", "1e-7", "--out", out.toString(), "--quiet", "--threads", "1");
      double[] got = Npy.read(out).data();
      double[] want;
      try (PointerScope scope = new PointerScope()) {
        GaussianMixtureScore exact = new GaussianMixtureScore(Toy.eightGaussiansMixture(), Sdes.parse(sde));
        want = Torch.toDoubles(exact.logDensity(points, 1e-5));
      }
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-3, sde + " point " + i);
      }
      assertTrue(r.number("max_abs_error") < 1e-3, r.out());
      assertEquals(r.number("exact_mean_nats"), r.number("mean_nats"), 1e-3);
    }
  }

  @Test
  void oracleSamplesHaveTheMixturesLogDensity() throws Exception {
    Path mixture = Cli.eightGaussiansJson(dir.resolve("eight-s.json"));
    Cli.Result r = Cli.ok("sample", "--oracle", mixture.toString(), "--n", "2000", "--sampler", "ode", "--out",
        dir.resolve("oracle-samples.npy").toString(), "--quiet", "--seed", "4");
    // The mean exact log-density of ODE samples matches that of exact draws within sampling noise.
    assertEquals(r.number("exact_logp_of_true_draws"), r.number("exact_logp_of_samples"), 0.08);
  }

  @Test
  void resumeContinuesToMoreSteps() throws Exception {
    Path config = Cli.write(dir.resolve("resume.yaml"), Cli.tinyConfig(20));
    Path out = dir.resolve("resumed");
    Cli.ok("train", "--config", config.toString(), "--out", out.toString(), "--quiet", "--threads", "1");
    Cli.Result r = Cli.ok("train", "--config", config.toString(), "--out", out.toString(), "--resume", "--steps", "30",
        "--quiet", "--threads", "1");
    assertEquals(30, r.number("step"));
    assertEquals(31, Files.readAllLines(out.resolve("metrics.csv")).size());
    Cli.ok("sample", "--model", out.toString(), "--n", "10", "--out", dir.resolve("r.npy").toString(), "--quiet");
  }

  @Test
  void progressBarsGoToStderr() throws Exception {
    Cli.Result r = Cli.ok("sample", "--model", model.toString(), "--n", "50", "--sampler", "em", "--steps", "20", "--out",
        dir.resolve("bar.npy").toString());
    assertTrue(r.err().contains("sample em") && r.err().contains("20/20"), r.err());
    assertTrue(r.out().startsWith("samples=50 sampler=em nfe=20 "), r.out());
  }

  static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
