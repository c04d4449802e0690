package org.sbgm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sbgm.InvalidInputException;
import org.sbgm.cli.plot.ImageGrid;
import org.sbgm.cli.plot.Panels;
import org.sbgm.cli.plot.Png;
import org.sbgm.measure.InverseStudy;
import org.sbgm.measure.Report;
import org.sbgm.measure.SamplerStudy;
import org.sbgm.model.GrfInpainting;
import org.sbgm.model.Model;
import org.sbgm.model.PosteriorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sbgm measure}: writes the measurement tables and figures of docs/ (the studies themselves are
 * library classes: {@link SamplerStudy}, {@link InverseStudy}, {@link GrfInpainting}).
 */
@Command(name = "measure", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure the samplers and the posterior samplers against exact answers and write the tables (Markdown) "
        + "and figures:",
        "  samplers  few-step samplers vs exact mixture draws and the exact flow -> OUT/fast-sampling.md",
        "  inverse   posterior samplers vs exact mixture posteriors -> OUT/inverse-problems.md",
        "  grf       a GRF model's inpainting vs the exact Gaussian conditional -> OUT/grf-inpainting.png and .md"},
    footer = {"", "Examples:", "  sbgm measure samplers --out docs", "  sbgm measure inverse --out docs",
        "  sbgm measure grf --model runs/grf --condition 1.0,3.0 --out docs"})
final class MeasureCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STUDY", description = "samplers, inverse or grf.")
  String study;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs", description = "Where to write (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--samples", paramLabel = "N",
      description = "Samples per run: samplers 4000, inverse 2000, grf 64 by default.")
  Integer samples;

  @Option(names = "--model", paramLabel = "DIR", description = "grf: a model directory trained on GRFs (source: grf).")
  Path model;

  @Option(names = "--condition", paramLabel = "A,B", description = "grf: (A, B) (default 1.0,3.0).")
  String condition;

  @Option(names = "--method", paramLabel = "NAME", description = "grf: the posterior methods, comma-separated; the figure shows the first (default mmps).")
  String method;

  @Option(names = "--steps", paramLabel = "K", description = "grf: the method's steps (default: its own).")
  Integer steps;

  @Option(names = "--hole", paramLabel = "H", description = "grf: side of the hidden centred square (default 8).")
  Integer hole;

  @Option(names = "--noise", paramLabel = "SIGMA_Y", description = "grf: observation noise (default 0.01).")
  Double noise;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String which = study.trim().toLowerCase(Locale.ROOT);
    if (!List.of("samplers", "inverse", "grf").contains(which)) {
      throw new InvalidInputException("the study must be samplers, inverse or grf, got '" + study + "'");
    }
    Outputs.atLeast("--samples", samples, 2);
    if (which.equals("grf") && model == null) {
      throw new InvalidInputException("measure grf needs --model DIR, a model trained on Gaussian random fields");
    }
    if (!which.equals("grf")) {
      List<String> given = new java.util.ArrayList<>();
      String[] names = {"--model", "--condition", "--method", "--steps", "--hole", "--noise"};
      Object[] values = {model, condition, method, steps, hole, noise};
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null) {
          given.add(names[i]);
        }
      }
      if (!given.isEmpty()) {
        throw new InvalidInputException(String.join(", ", given) + (given.size() == 1 ? " applies" : " apply")
            + " only to measure grf, not to measure " + which);
      }
    }
    condition = condition == null ? "1.0,3.0" : condition;
    method = method == null ? "mmps" : method;
    hole = hole == null ? 8 : hole;
    noise = noise == null ? 0.01 : noise;
    List<PosteriorSpec> posteriors = java.util.Arrays.stream(method.split(","))
        .map(name -> new PosteriorSpec(name, steps, null, null, null)).toList();
    Outputs.directory("--out", out); // last of the checks: it creates the directory
    common.apply();
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    long t0 = System.nanoTime();
    String command = "sbgm measure " + which + (samples == null ? "" : " --samples " + samples);
    switch (which) {
      case "samplers" -> {
        SamplerStudy s = samples == null ? SamplerStudy.standard() : new SamplerStudy(samples, SamplerStudy.standard().budgets());
        write("fast-sampling.md", s.report(progress::note), command, t0);
      }
      case "inverse" -> {
        InverseStudy s = samples == null ? InverseStudy.standard() : new InverseStudy(samples);
        write("inverse-problems.md", s.report(progress::note), command, t0);
      }
      default -> grf(posteriors, progress, t0);
    }
    return 0;
  }

  private void grf(List<PosteriorSpec> posteriors, Progress progress, long t0) throws Exception {
    double[] ab = Numbers.parse("--condition", condition);
    if (ab.length != 2) {
      throw new InvalidInputException("--condition must hold A,B, got '" + condition + "'");
    }
    Model m = Model.load(model);
    int n = samples == null ? 64 : samples;
    GrfInpainting study = new GrfInpainting(ab[0], ab[1], hole, noise);
    List<GrfInpainting.Attempt> attempts = new java.util.ArrayList<>();
    for (PosteriorSpec p : posteriors) {
      try (Progress.Bar bar = progress.bar("posterior " + p.name(), 1000, null)) {
        attempts.add(study.attempt(m, p, n, 64, common.seedOr(7), bar.permille()));
      }
    }
    GrfInpainting.Attempt first = GrfInpainting.firstSucceeded(attempts);
    GrfInpainting.Result r = first.result().orElseThrow();
    int size = (int) Math.round(Math.sqrt(r.truth().length));
    double[] range = ImageGrid.robustRange(new float[][] {r.truth(), r.exactMean(), r.modelMean()});
    double sdMax = r.stdMax();
    double dmax = r.meanDifferenceMax();
    Panels.Panel[] top = {panel("field x", r.truth(), size, range), panel("observation y\n(" + hole + "×" + hole + " hidden)",
        r.observation(), size, range), panel("exact mean", r.exactMean(), size, range),
        panel(String.format(Locale.ROOT, "exact std\n0 .. %.3g", sdMax), r.exactStd(), size, new double[] {0, sdMax})};
    Panels.Panel[] bottom = new Panels.Panel[3 + r.samples().length];
    bottom[0] = panel("model (" + first.method().name() + ") mean\n" + n + " samples", r.modelMean(), size, range);
    bottom[1] = panel(String.format(Locale.ROOT, "model std\nratio to exact %.2f", r.stdRatio()), r.modelStd(), size,
        new double[] {0, sdMax});
    bottom[2] = panel(String.format(Locale.ROOT, "model − exact mean\n±%.3g, error %.2f", dmax, r.meanError()),
        r.meanDifference(), size, new double[] {-dmax, dmax});
    for (int i = 0; i < r.samples().length; i++) {
      bottom[3 + i] = panel("posterior sample " + (i + 1), r.samples()[i], size, range);
    }
    Files.createDirectories(out);
    Png.write(Panels.draw(new Panels.Panel[][] {top, bottom}, 128), out.resolve("grf-inpainting.png"));
    write("grf-inpainting.md", study.report(attempts), "sbgm measure grf --model DIR --condition " + condition + " --method "
        + method + " --hole " + hole + " --noise " + noise + " --samples " + n, t0);
  }

  private static Panels.Panel panel(String title, float[] pixels, int size, double[] range) {
    return new Panels.Panel(title, new ImageGrid.Images(new float[][] {pixels}, 1, size, size), range[0], range[1]);
  }

  private void write(String name, Report report, String command, long t0) throws Exception {
    report.write(out.resolve(name), command, (System.nanoTime() - t0) / 1e9);
    spec.commandLine().getOut().println("wrote " + out.resolve(name));
  }
}
