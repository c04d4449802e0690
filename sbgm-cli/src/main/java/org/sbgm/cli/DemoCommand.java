package org.sbgm.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.sbgm.InvalidInputException;
import org.sbgm.cli.plot.DemoFigure;
import org.sbgm.cli.plot.Png;
import org.sbgm.config.ConfigFiles;
import org.sbgm.config.RunConfig;
import org.sbgm.io.AtomicFiles;
import org.sbgm.model.EightGaussiansDemo;
import org.sbgm.model.ModelSamples;
import org.sbgm.model.TrainedModel;
import org.sbgm.model.Training;
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
      throw new InvalidInputException("--steps must be at least 1, got " + steps);
    }
    for (var o : new Object[][] {{"--points", points}, {"--grid", grid}, {"--samples", samples}}) {
      if ((int) o[1] < 2) {
        throw new InvalidInputException(o[0] + " must be at least 2, got " + o[1]);
      }
    }
    Training training = Training.of(ConfigFiles.builtIn("eight-gaussians-mlp"));
    if (steps != null) {
      training.steps(steps);
    }
    if (common.hasSeed()) {
      training.seed(common.seedOr(0));
    }
    RunConfig run = training.config();
    try {
      EightGaussiansDemo.prepareDirectory(out);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--out: " + e.getMessage(), e);
    }
    if (common.threads == null) {
      common.threads = 1; // the small MLP runs fastest on one intra-op thread, and is immune to busy cores
    }
    training.device(common.apply());
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    Path modelDir = out.resolve("model");
    TrainedModel o = TrainingProgress.run(training, modelDir, false, progress);
    AtomicFiles.write(out.resolve("loss.png"), Files.readAllBytes(modelDir.resolve("loss.png"))); // never half a picture
    long seed = run.training().seed();
    EightGaussiansDemo demo = new EightGaussiansDemo(o.model(), seed);
    Map<String, String> summary = new LinkedHashMap<>();
    try (PointerScope scope = new PointerScope()) {
      progress.note("evaluating log p(x) of " + points + " held-out points (exact divergence)...");
      EightGaussiansDemo.HeldOut held = demo.heldOut(points);
      progress.note("evaluating log p(x) on a " + grid + "x" + grid + " grid for the figure...");
      double[][] map = demo.likelihoodMap(grid);
      ModelSamples odeSamples;
      try (Progress.Bar bar = progress.bar("sample ode", 1000, "\u2030")) {
        odeSamples = demo.odeSamples(samples, bar.permille());
      }
      ModelSamples emSamples;
      try (Progress.Bar bar = progress.bar("sample em", 1000, "\u2030")) {
        emSamples = demo.emSamples(samples, bar.permille());
      }
      String[] titles = {"(a) Training data", "(b) Model log-likelihood (exact ODE)", "(c) Probability-flow ODE samples",
          "(d) Euler\u2013Maruyama samples"};
      int shown = Math.min(points, 1000);
      String caption = String.format(Locale.ROOT, "VP SDE (\u03b2 %s \u2192 %s), MLP 3\u00d7256, %d steps. "
          + "Held-out NLL %.3f nats (exact mixture: %.3f), ODE with exact divergence, %d NFE. Red: %d held-out points.",
          number(run.sde().betaMin()), number(run.sde().betaMax()), o.result().steps(), held.modelNll(), held.trueNll(),
          held.nfe(), shown);
      Png.write(DemoFigure.render(new DemoFigure.Content(EightGaussiansDemo.WINDOW, EightGaussiansDemo.trainingPoints(o, samples),
          map, 12, java.util.Arrays.copyOf(held.points(), 2 * shown), Torch.toDoubles(odeSamples.x()),
          Torch.toDoubles(emSamples.x()), titles, caption)), out.resolve("figure2.png"));
      summary.put("test_nll_nats", String.format(Locale.ROOT, "%.4f", held.modelNll()));
      summary.put("true_nll_nats", String.format(Locale.ROOT, "%.4f", held.trueNll()));
      summary.put("nll_gap_nats", String.format(Locale.ROOT, "%.4f", held.gap()));
      summary.put("ode_nfe", Long.toString(held.nfe()));
      summary.put("sample_ode_nfe", Long.toString(odeSamples.nfe()));
      summary.put("em_steps", Integer.toString(EightGaussiansDemo.EM_STEPS));
      summary.put("train_steps", Long.toString(o.result().steps()));
      summary.put("train_seconds", String.format(Locale.ROOT, "%.1f", o.seconds()));
      summary.put("test_points", Integer.toString(points));
      summary.put("threads", Integer.toString(Torch.threads()));
      summary.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      summary.put("figure", out.resolve("figure2.png").toString());
      summary.put("model", modelDir.toString());
    }
    StringBuilder text = new StringBuilder();
    summary.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    AtomicFiles.write(out.resolve("summary.txt"), text.toString().getBytes(StandardCharsets.UTF_8));
    spec.commandLine().getOut().print(text);
    return 0;
  }

  private static String number(Double v) {
    return v == null ? "?" : v == Math.rint(v) ? Long.toString(v.longValue()) : v.toString();
  }
}
