package org.sbgm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.cli.config.ConfigFiles;
import org.sbgm.cli.config.RunConfig;
import org.sbgm.cli.plot.DemoFigure;
import org.sbgm.cli.plot.Png;
import org.sbgm.data.Toy;
import org.sbgm.data.Transform;
import org.sbgm.io.AtomicFiles;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sbgm demo}: the end-to-end example. Trains the reference MLP on eight Gaussians under the VP
 * SDE ({@code configs/eight-gaussians-mlp.yaml}), measures the exact negative log-likelihood of
 * held-out points through the probability-flow ODE against the true mixture's, and draws the figure.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a score model on eight Gaussians (VP SDE, MLP 3x256, Fourier time embedding), then write "
        + "figure2.png (data, model log-likelihood, ODE and Euler-Maruyama samples), loss.png, the model directory "
        + "and a summary of key=value lines (test_nll_nats against true_nll_nats of the exact mixture).",
        "Runs on one thread unless --threads is given: the small MLP gains nothing from more."},
    footer = {"", "Example:", "  sbgm demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
  /** The figure window [-L, L]². */
  static final double WINDOW = 4.5;
  /** Solver tolerances (rtol = atol) of the held-out likelihoods and of the ODE sampler. */
  static final double TOLERANCE = 1e-5;
  /** Solver tolerances of the heat map's likelihoods (a picture: 1e-3 changes no visible grey level). */
  static final double MAP_TOLERANCE = 1e-3;
  /** Euler–Maruyama steps of panel (d). */
  static final int EM_STEPS = 500;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: those of the demo's configuration).")
  Long steps;

  @Option(names = "--points", paramLabel = "N", defaultValue = "2000",
      description = "Held-out points whose NLL is measured (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--grid", paramLabel = "N", defaultValue = "100",
      description = "Heat-map resolution: N x N likelihood evaluations (default: ${DEFAULT-VALUE}).")
  int grid;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "2000",
      description = "Samples drawn by each sampler for the figure (default: ${DEFAULT-VALUE}).")
  int samples;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    if (steps != null && steps < 1) {
      throw new UserError("--steps must be at least 1, got " + steps);
    }
    for (var o : new Object[][] {{"--points", points}, {"--grid", grid}, {"--samples", samples}}) {
      if ((int) o[1] < 2) {
        throw new UserError(o[0] + " must be at least 2, got " + o[1]);
      }
    }
    RunConfig run = config();
    if (steps != null) {
      run = run.withTraining(run.training().withSteps(steps));
    }
    if (common.hasSeed()) {
      run = run.withTraining(run.training().withSeed(common.seedOr(0)));
    }
    prepare(out);
    if (common.threads == null) {
      common.threads = 1; // the small MLP runs fastest on one intra-op thread, and is immune to busy cores
    }
    var device = common.apply();
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    Path modelDir = out.resolve("model");
    TrainingRun.Outcome o = TrainingRun.run(run, modelDir, false, device, progress);
    Files.copy(modelDir.resolve("loss.png"), out.resolve("loss.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ScoreSource source = new ScoreSource(DeviceScore.on(o.score(), o.network(), device), o.score().sde(),
        o.spec().sampleShape(), 0, o.spec().transform(), null, null);
    long seed = run.training().seed();
    Map<String, String> summary = new LinkedHashMap<>();
    try (PointerScope scope = new PointerScope()) {
      Transform transform = source.transform().create(null);
      LogLikelihood ll = LogLikelihood.builder(source.sde()).divergence(Divergence.exact())
          .tolerances(TOLERANCE, TOLERANCE).epsilon(Likelihoods.EPSILON).build();
      Generator g = Torch.generator(seed + 7919);
      Tensor test = Toy.eightGaussians(points, g);
      progress.note("evaluating log p(x) of " + points + " held-out points (exact divergence)...");
      LikelihoodResult testLl = ll.evaluate(source.score(), transform.forward(test), Condition.NONE, null);
      double[] jac = Torch.toDoubles(transform.logAbsDetJacobian(test));
      double testNll = 0;
      for (int i = 0; i < points; i++) {
        testNll -= (testLl.nats()[i] + jac[i]) / points;
      }
      double trueNll = -Toy.eightGaussiansLogDensity(test.to(org.bytedeco.pytorch.global.torch.ScalarType.Double))
          .mean().item_double();
      progress.note("evaluating log p(x) on a " + grid + "x" + grid + " grid for the figure...");
      LogLikelihood coarse = LogLikelihood.builder(source.sde()).divergence(Divergence.exact())
          .tolerances(MAP_TOLERANCE, MAP_TOLERANCE).epsilon(Likelihoods.EPSILON).build();
      double[][] map = heatMap(source, transform, coarse, grid);
      Samplers.Choice ode = new Samplers.Choice("ode", null, TOLERANCE, TOLERANCE);
      SampleCommand.Result odeSamples = SampleCommand.sample(source, ode, samples, samples, null, seed + 1, false, progress);
      Samplers.Choice em = new Samplers.Choice("em", EM_STEPS, null, null);
      SampleCommand.Result emSamples = SampleCommand.sample(source, em, samples, samples, null, seed + 2, false, progress);
      double[] data = Torch.toDoubles(transform.inverse(o.data().training().data().narrow(0, 0,
          Math.min(samples, o.data().training().size()))));
      double seconds = (System.nanoTime() - start) / 1e9;
      String[] titles = {"(a) Training data", "(b) Model log-likelihood (exact ODE)", "(c) Probability-flow ODE samples",
          "(d) Euler\u2013Maruyama samples"};
      String caption = String.format(Locale.ROOT, "VP SDE (\u03b2 %s \u2192 %s), MLP 3\u00d7256, %d steps. "
          + "Held-out NLL %.3f nats (exact mixture: %.3f), ODE with exact divergence, %d NFE. Red: %d held-out points.",
          number(run.sde().betaMin()), number(run.sde().betaMax()), o.result().steps(), testNll, trueNll,
          testLl.nfe(), Math.min(points, 1000));
      Png.write(DemoFigure.render(new DemoFigure.Content(WINDOW, data, map, 12, Torch.toDoubles(test.narrow(0, 0, Math.min(points, 1000))),
          Torch.toDoubles(odeSamples.samples()), Torch.toDoubles(emSamples.samples()), titles, caption)),
          out.resolve("figure2.png"));
      summary.put("test_nll_nats", String.format(Locale.ROOT, "%.4f", testNll));
      summary.put("true_nll_nats", String.format(Locale.ROOT, "%.4f", trueNll));
      summary.put("nll_gap_nats", String.format(Locale.ROOT, "%.4f", testNll - trueNll));
      summary.put("ode_nfe", Integer.toString(testLl.nfe()));
      summary.put("sample_ode_nfe", Long.toString(odeSamples.nfe()));
      summary.put("em_steps", Integer.toString(EM_STEPS));
      summary.put("train_steps", Long.toString(o.result().steps()));
      summary.put("train_seconds", String.format(Locale.ROOT, "%.1f", o.seconds()));
      summary.put("test_points", Integer.toString(points));
      summary.put("threads", Integer.toString(Torch.threads()));
      summary.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      summary.put("figure", out.resolve("figure2.png").toString());
      summary.put("model", modelDir.toString());
      g.close();
    }
    StringBuilder text = new StringBuilder();
    summary.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    AtomicFiles.write(out.resolve("summary.txt"), text.toString().getBytes(StandardCharsets.UTF_8));
    spec.commandLine().getOut().print(text);
    return 0;
  }

  /** The demo's configuration (the same as configs/eight-gaussians-mlp.yaml). */
  static RunConfig config() throws IOException {
    Path tmp = Files.createTempFile("sbgm-demo", ".yaml");
    try (InputStream in = DemoCommand.class.getResourceAsStream("eight-gaussians-mlp.yaml")) {
      Files.write(tmp, in.readAllBytes());
      return ConfigFiles.readRunConfig(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** log p(x) in data units on a GRID × GRID grid of cell centres over [-L, L]² (row 0 at the bottom). */
  private static double[][] heatMap(ScoreSource source, Transform transform, LogLikelihood ll, int n) {
    double[] xy = new double[2 * n * n];
    double h = 2 * WINDOW / n;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        xy[2 * (r * n + c)] = -WINDOW + (c + 0.5) * h;
        xy[2 * (r * n + c) + 1] = -WINDOW + (r + 0.5) * h;
      }
    }
    double[][] out = new double[n][n];
    int batch = 2500;
    for (int s = 0; s < n * n; s += batch) {
      int rows = Math.min(batch, n * n - s);
      try (PointerScope scope = new PointerScope()) {
        double[] part = java.util.Arrays.copyOfRange(xy, 2 * s, 2 * (s + rows));
        Tensor x = Torch.tensor(part, DType.FLOAT32, rows, 2);
        Tensor y = transform.forward(x);
        LikelihoodResult r = ll.evaluate(source.score(), y, Condition.NONE, null);
        double[] jac = Torch.toDoubles(transform.logAbsDetJacobian(x));
        for (int i = 0; i < rows; i++) {
          out[(s + i) / n][(s + i) % n] = r.nats()[i] + jac[i];
        }
      }
    }
    return out;
  }

  /** Refuses a non-empty directory that is not an earlier demo's; clears an earlier demo's model. */
  private static void prepare(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError("--out names '" + dir + "', which is a file; expected a directory");
    }
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (var s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve("summary.txt")) && !Files.exists(dir.resolve("model"))) {
        throw new UserError("--out directory '" + dir + "' exists and does not hold an earlier demo; choose another directory");
      }
      Path model = dir.resolve("model");
      if (Files.isDirectory(model)) {
        try (var s = Files.list(model)) {
          for (Path p : (Iterable<Path>) s::iterator) {
            if (Files.isRegularFile(p)) {
              Files.delete(p);
            }
          }
        }
      }
    }
    Files.createDirectories(dir);
  }

  private static String number(Double v) {
    return v == null ? "?" : v == Math.rint(v) ? Long.toString(v.longValue()) : v.toString();
  }
}
