package org.sbgm.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sbgm.InvalidInputException;
import org.sbgm.cli.plot.ImageGrid;
import org.sbgm.cli.plot.Panels;
import org.sbgm.cli.plot.Png;
import org.sbgm.io.AtomicFiles;
import org.sbgm.measure.InverseStudy;
import org.sbgm.measure.SamplerStudy;
import org.sbgm.measure.Table;
import org.sbgm.model.GrfInpainting;
import org.sbgm.model.Model;
import org.sbgm.model.PosteriorSpec;
import org.sbgm.model.SamplingListener;
import org.sbgm.torch.Torch;
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
        List<Table> tables = s.run(progress::note);
        write("fast-sampling.md", "Few-step samplers against exact Gaussian mixtures", command, t0,
            "Every sampler from the same " + s.samples() + " prior draws (seed 11), float64, exact score, ε = 1e-3. Sliced W₂ "
                + "(128 directions) and MMD²_u (Gaussian kernel, median-heuristic bandwidth of the exact draws) against "
                + s.samples() + " exact draws; the first row of each table is the Monte-Carlo floor: the same statistics for "
                + SamplerStudy.FLOOR_PAIRS + " independent sets of exact draws, mean ± standard deviation. Below that spread "
                + "two rows do not differ; the endpoint errors resolve the deterministic samplers far more finely. "
                + "Endpoint error: per sample ‖x − x_ref‖₂ against the probability-flow ODE solved by Dopri5 at rtol = atol = "
                + "1e-9 from the same x_T (deterministic samplers only); the median is robust to the few points near a "
                + "separatrix between modes, which any finite step may send to the other mode, and which dominate the RMS. "
                + "Default grids: DDIM and Euler–Maruyama uniform in t, EDM Heun Karras ρ = 7, DPM-Solver++ log-SNR uniform "
                + "(first-order last step below 15 steps), RK4 uniform in t; EDM Heun and RK4 take 2 and 4 evaluations per step.",
            tables);
      }
      case "inverse" -> {
        InverseStudy s = samples == null ? InverseStudy.standard() : new InverseStudy(samples);
        List<Table> tables = s.run(progress::note);
        write("inverse-problems.md", "Posterior samplers against exact posteriors", command, t0,
            "Mean error: ‖μ̂ − μ‖₂/√tr Σ (posterior standard deviations); covariance error: ‖Σ̂ − Σ‖_F/‖Σ‖_F; MMD²_u against "
                + s.samples() + " exact posterior draws; the floor rows give the same statistics for " + s.samples()
                + " exact draws. NFE counts score evaluations, VJPs the backward passes of the guidance. " + s.samples()
                + " posterior samples per run, seed 5, float64, exact score, σ_y = 0.1. See InverseStudy for the problems.",
            tables);
      }
      default -> grf(posteriors, t0);
    }
    return 0;
  }

  private void grf(List<PosteriorSpec> posteriors, long t0) throws Exception {
    List<PosteriorSpec> succeeded = new java.util.ArrayList<>();
    double[] ab = Numbers.parse("--condition", condition);
    if (ab.length != 2) {
      throw new InvalidInputException("--condition must hold A,B, got '" + condition + "'");
    }
    Model m = Model.load(model);
    int n = samples == null ? 64 : samples;
    GrfInpainting study = new GrfInpainting(ab[0], ab[1], hole, noise);
    List<GrfInpainting.Result> results = new java.util.ArrayList<>();
    List<List<String>> rows = new java.util.ArrayList<>();
    for (PosteriorSpec p : posteriors) {
      try (Progress.Bar bar = new Progress(spec.commandLine().getErr(), common.quiet()).bar("posterior " + p.name(), 1000, null)) {
        GrfInpainting.Result one;
        try {
          one = study.run(m, p, n, 64, common.seedOr(7), new SamplingListener() {
          @Override
          public void progress(int b, int batches, double fraction) {
            bar.stepTo(Math.round(1000 * (b + fraction) / batches));
          }
        });
        } catch (org.sbgm.RunFailedException e) {
          // a method that diverges on this model is a measurement too
          rows.add(List.of(p.name() + " (" + p.stepsOr() + " steps)", Integer.toString(n), "diverged: " + e.getMessage(), "—",
              "—", "—", "—"));
          continue;
        }
        results.add(one);
        succeeded.add(p);
        rows.add(List.of(p.name() + " (" + p.stepsOr() + " steps)", Integer.toString(n), Table.number(one.meanError()),
            Table.number(one.stdRatio()), Table.number(one.priorStd()), Long.toString(one.nfe()), Long.toString(one.vjps())));
      }
    }
    if (results.isEmpty()) {
      throw new org.sbgm.RunFailedException("every posterior method diverged on this model: " + rows) {};
    }
    GrfInpainting.Result r = results.get(0);
    PosteriorSpec posterior = succeeded.get(0);
    int size = (int) Math.round(Math.sqrt(r.truth().length));
    float[][] all = {r.truth(), r.exactMean(), r.modelMean()};
    double[] range = ImageGrid.robustRange(all);
    double sdMax = 0;
    for (float v : r.exactStd()) {
      sdMax = Math.max(sdMax, v);
    }
    for (float v : r.modelStd()) {
      sdMax = Math.max(sdMax, v);
    }
    float[] diff = new float[r.truth().length];
    double dmax = 0;
    for (int i = 0; i < diff.length; i++) {
      diff[i] = r.modelMean()[i] - r.exactMean()[i];
      dmax = Math.max(dmax, Math.abs(diff[i]));
    }
    Panels.Panel[] top = {panel("field x", r.truth(), size, range), panel("observation y\n(" + hole + "×" + hole + " hidden)",
        r.observation(), size, range), panel("exact mean", r.exactMean(), size, range),
        panel(String.format(Locale.ROOT, "exact std\n0 .. %.3g", sdMax), r.exactStd(), size, new double[] {0, sdMax})};
    Panels.Panel[] bottom = new Panels.Panel[3 + r.samples().length];
    bottom[0] = panel("model (" + posterior.name() + ") mean\n" + n + " samples", r.modelMean(), size, range);
    bottom[1] = panel(String.format(Locale.ROOT, "model std\nratio to exact %.2f", r.stdRatio()), r.modelStd(), size,
        new double[] {0, sdMax});
    bottom[2] = panel(String.format(Locale.ROOT, "model − exact mean\n±%.3g, error %.2f", dmax, r.meanError()), diff, size,
        new double[] {-dmax, dmax});
    for (int i = 0; i < r.samples().length; i++) {
      bottom[3 + i] = panel("posterior sample " + (i + 1), r.samples()[i], size, range);
    }
    Files.createDirectories(out);
    Png.write(Panels.draw(new Panels.Panel[][] {top, bottom}, 128), out.resolve("grf-inpainting.png"));
    Table t = new Table("GRF inpainting at (A, B) = (" + ab[0] + ", " + ab[1] + ")", List.of("method", "samples", "mean error",
        "std ratio", "prior std", "NFE", "VJPs"), rows);
    write("grf-inpainting.md", "Inpainting Gaussian random fields: a trained U-Net against the exact conditional",
        "sbgm measure grf --model DIR --condition " + condition + " --method " + method + " --hole " + hole
            + " --noise " + noise + " --samples " + n, t0,
        "A field drawn at (A, B), a centred " + hole + " × " + hole + " square hidden, the rest observed with σ_y = " + noise
            + ". Mean error: RMS over the hidden pixels of (model posterior mean − exact mean) over the RMS exact posterior std "
            + "there; std ratio: mean over the hidden pixels of model std / exact std (1 is right). The exact posterior is "
            + "Gaussian (GaussianRandomField.covariance, GaussianMixturePosterior). Figure: grf-inpainting.png (top: field, "
            + "observation, exact mean and std; bottom: the first method that did not diverge, its mean and std, their difference from the exact mean, "
            + "samples).",
        List.of(t));
  }

  private static Panels.Panel panel(String title, float[] pixels, int size, double[] range) {
    return new Panels.Panel(title, new ImageGrid.Images(new float[][] {pixels}, 1, size, size), range[0], range[1]);
  }

  private void write(String name, String heading, String command, long t0, String notes, List<Table> tables) throws Exception {
    Files.createDirectories(out);
    StringBuilder s = new StringBuilder("# ").append(heading).append("\n\n");
    s.append(String.format(Locale.ROOT, "Written by `%s` on %s (%.0f s, %d thread%s). %s%n%n", command, LocalDate.now(),
        (System.nanoTime() - t0) / 1e9, Torch.threads(), Torch.threads() == 1 ? "" : "s", notes));
    for (Table t : tables) {
      s.append(t.markdown());
    }
    AtomicFiles.write(out.resolve(name), s.toString().getBytes(StandardCharsets.UTF_8));
    spec.commandLine().getOut().println("wrote " + out.resolve(name));
  }
}
