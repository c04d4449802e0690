package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Manifest;
import org.sbgm.io.Npy;
import org.sbgm.model.Model;
import org.sbgm.nn.Network;
import org.sbgm.nn.Networks;
import org.sbgm.torch.Torch;

/**
 * Solver faults from real inputs: a model directory whose score turns infinite below t = 0.5, tolerances
 * so tight that the step size underflows, and a step limit that is reached. Each time the CLI prints
 * one line naming t and the NFE, exits 1, writes no output and leaves an existing one untouched.
 */
@SuppressWarnings("try")
class SolverFaultsTest {
  @TempDir static Path dir;
  static Path poisoned;
  static Path oracle;
  static Path points;
  static Path keep;
  static final byte[] KEEP = "keep me".getBytes(StandardCharsets.UTF_8);
  private static final Pattern T_AND_NFE = Pattern.compile("at t = ([-0-9.Ee]+), after NFE = (\\d+)\\)");

  @BeforeAll
  static void setUp() throws Exception {
    Path config = Cli.write(dir.resolve("tiny.yaml"), Cli.tinyConfig(10));
    Path model = dir.resolve("model");
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    poisoned = dir.resolve("poisoned");
    Files.createDirectories(poisoned);
    for (String f : new String[] {"model.yaml", "weights.pt", "metrics.csv"}) {
      Files.copy(model.resolve(f), poisoned.resolve(f));
    }
    poison(poisoned);
    oracle = Cli.eightGaussiansJson(dir.resolve("eight.json"));
    points = dir.resolve("points.npy");
    Npy.write(points, new double[] {0, 1, 2, 0.5, -1, -2}, 3, 2);
    keep = Files.write(dir.resolve("keep.npy"), KEEP);
  }

  /**
   * Rewrites the weights of the model in {@code dir} (and its manifest) so that its score is finite for
   * t &ge; 0.5 and infinite below: the Fourier feature cos(2π·0.25·t) = cos(πt/2) drives one hidden unit
   * to 10^38·cos(πt/2), the next layer multiplies it by 4.8, which overflows float32 (3.4·10^38) exactly
   * when cos(πt/2) &gt; 0.708, i.e. t &lt; 0.4997, and the output reads that unit with weight 10^-38.
   */
  static void poison(Path dir) throws Exception {
    Model model = Model.load(dir.resolve("..").resolve("model"));
    Network net = model.network().orElseThrow();
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> p = named(net.module().named_parameters(true));
      Map<String, Tensor> b = named(net.module().named_buffers(true));
      Tensor w = b.get("embedding.w");
      long frequencies = w.size(0);
      w.narrow(0, 0, 1).fill_(Torch.scalar(0.25));
      long cosColumn = 2 + frequencies; // inputs [x (2), sin features, cos features]
      Tensor w0 = p.get("hidden0.weight");
      w0.narrow(0, 0, 1).zero_();
      w0.narrow(0, 0, 1).narrow(1, cosColumn, 1).fill_(Torch.scalar(1e38));
      p.get("hidden0.bias").narrow(0, 0, 1).zero_();
      Tensor w1 = p.get("hidden1.weight");
      w1.narrow(1, 0, 1).zero_();
      w1.narrow(0, 0, 1).zero_();
      w1.narrow(0, 0, 1).narrow(1, 0, 1).fill_(Torch.scalar(4.8));
      p.get("hidden1.bias").narrow(0, 0, 1).zero_();
      p.get("out.weight").narrow(1, 0, 1).fill_(Torch.scalar(1e-38));
    }
    Networks.save(net, dir.resolve("weights.pt"));
    Manifest.write(dir);
  }

  private static Map<String, Tensor> named(StringTensorDict d) {
    Map<String, Tensor> m = new java.util.HashMap<>();
    for (long i = 0; i < d.size(); i++) {
      m.put(d.get(i).key().getString(), new Tensor(d.get(i).value()));
    }
    return m;
  }

  /** The t and NFE the line names. */
  private static double[] timeAndNfe(Cli.Result r) {
    System.out.println(r.errLines().get(0));
    Matcher m = T_AND_NFE.matcher(r.errLines().get(0));
    assertTrue(m.find(), r.err());
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
  }

  private static void nothingWritten(Path... outputs) throws Exception {
    for (Path o : outputs) {
      assertFalse(Files.exists(o), o + " was written");
    }
    assertArrayEquals(KEEP, Files.readAllBytes(keep), "an existing output was changed");
  }

  @Test
  void aScoreThatTurnsInfiniteBelowHalfStopsSamplingThereNamingTAndNfe() throws Exception {
    Path out = dir.resolve("never.npy");
    Path png = dir.resolve("never.png");
    // Euler–Maruyama, 20 steps from 1 to 0.001: t_i = 1 - 0.04995 i; the first evaluation below 0.4997 is t_11
    Cli.Result em = Cli.runFailed(Cli.args("sample", "--model", poisoned.toString(), "--n", "8", "--sampler", "em",
        "--steps", "20", "--out", out.toString(), "--png", png.toString(), "--quiet", "--threads", "1"), "non-finite");
    double[] tn = timeAndNfe(em);
    assertEquals(1 - 11 * 0.999 / 20, tn[0], 1e-9);
    assertEquals(12, tn[1]);
    Cli.Result ode = Cli.runFailed(Cli.args("sample", "--model", poisoned.toString(), "--n", "8", "--sampler", "ode",
        "--out", keep.toString(), "--quiet", "--threads", "1"), "non-finite");
    double t = timeAndNfe(ode)[0];
    assertTrue(t > 0.45 && t < 0.5, "the adaptive solve stops just above t = 0.4997, got " + t);
    // the likelihood ODE starts at ε, where the score is already infinite
    Cli.Result ll = Cli.runFailed(Cli.args("loglik", "--model", poisoned.toString(), "--data", points.toString(), "--out",
        out.toString(), "--quiet", "--threads", "1"), "non-finite", "initial state");
    assertArrayEquals(new double[] {1e-5, 1}, timeAndNfe(ll), 0.0);
    nothingWritten(out, png);
  }

  @Test
  void aStepSizeThatUnderflowsIsNamedWithTAndNfe() throws Exception {
    Path out = dir.resolve("never2.npy");
    // tolerances of 1e-300 reject every step until t + h == t
    Cli.Result ll = Cli.runFailed(Cli.args("loglik", "--oracle", oracle.toString(), "--data", points.toString(),
        "--rtol", "1e-300", "--atol", "1e-300", "--out", out.toString(), "--quiet", "--threads", "1"), "too small to advance t");
    double[] tn = timeAndNfe(ll);
    assertEquals(1e-5, tn[0], 0.0);
    assertTrue(tn[1] > 20, "the steps shrank many times first: NFE " + tn[1]);
    Cli.runFailed(Cli.args("sample", "--oracle", oracle.toString(), "--n", "5", "--rtol", "1e-300", "--atol", "1e-300",
        "--out", keep.toString(), "--quiet", "--threads", "1"), "too small to advance t", "at t = 1.0, after NFE = ");
    nothingWritten(out);
  }

  @Test
  void reachingTheStepLimitIsNamedWithTAndNfe() throws Exception {
    Path out = dir.resolve("never3.npy");
    Cli.Result ll = Cli.runFailed(Cli.args("loglik", "--oracle", oracle.toString(), "--data", points.toString(),
        "--max-steps", "3", "--out", out.toString(), "--quiet", "--threads", "1"), "maxSteps = 3 steps were attempted");
    double[] tn = timeAndNfe(ll);
    assertTrue(tn[0] > 1e-5 && tn[0] < 1, "stopped inside (ε, T): " + tn[0]);
    Cli.Result s = Cli.runFailed(Cli.args("sample", "--oracle", oracle.toString(), "--n", "5", "--max-steps", "3",
        "--out", keep.toString(), "--quiet", "--threads", "1"), "maxSteps = 3 steps were attempted");
    double ts = timeAndNfe(s)[0];
    assertTrue(ts > 1e-3 && ts < 1, "stopped inside (ε, T): " + ts);
    Cli.userError(Cli.args("sample", "--oracle", oracle.toString(), "--n", "5", "--sampler", "em", "--max-steps", "3",
        "--out", keep.toString()), "max steps apply only to the adaptive ode sampler");
    nothingWritten(out);
  }
}
