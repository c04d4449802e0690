package org.sbgm.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.cli.plot.Png;
import org.sbgm.cli.plot.PosteriorPlot;
import org.sbgm.data.DataFiles;
import org.sbgm.inference.EnsembleSampler;
import org.sbgm.inference.GridPosterior;
import org.sbgm.inference.Marginals;
import org.sbgm.inference.McmcResult;
import org.sbgm.inference.ObservedLikelihood;
import org.sbgm.inference.Prior;
import org.sbgm.io.Npy;
import org.sbgm.model.LikelihoodSpec;
import org.sbgm.model.Model;
import org.sbgm.model.ParameterInference;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm infer}: the posterior over a conditional model's parameters π given observed data. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Infer the parameters π of a model of p(x | π) from observations: posterior ∝ p(x_obs | π) × prior, "
        + "with log p(x_obs | π) from the probability-flow ODE (observations are independent; their log-densities add).",
        "--grid K evaluates the normalised posterior on a K^P grid (P <= 2); otherwise an ensemble MCMC (affine-invariant "
            + "stretch move) runs --chains walkers for --steps steps, each half of the walkers in one batched ODE solve, "
            + "with Hutchinson probes (when used) fixed for the whole run so the target is deterministic.",
        "Writes posterior draws [N, P] to a .npy file and prints the posterior mean and sd (for MCMC also the acceptance, "
            + "split R-hat and effective sample size; for models whose exact density is known, the exact posterior too)."},
    footer = {"", "Examples:",
        "  sbgm infer --model runs/sbi-lik --data x_obs.npy --prior normal:0,1 --chains 32 --steps 600 --out post.npy --png corner.png",
        "  sbgm infer --model runs/grf --data field.npy --prior uniform:0.5,2,2,4 --grid 16 --truth 1.2,3.1 --out post.npy --png grid.png"})
final class InferCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--data", paramLabel = "FILE", required = true,
      description = "The observations x_obs in data units, [N, ...] (N independent observations; usually one).")
  Path data;

  @Option(names = "--array", paramLabel = "NAME", description = "The array of an .npz --data archive that holds several.")
  String array;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N observations.")
  Long limit;

  @Option(names = "--prior", paramLabel = "SPEC", required = true,
      description = "uniform:LO,HI[,LO,HI...] or normal:MU,SD[,MU,SD...]: one pair per parameter, or one pair for all.")
  String prior;

  @Option(names = "--grid", paramLabel = "K", description = "Evaluate the posterior on a K^P grid over the prior's box "
      + "(uniform: its range; normal: mean ± 5 sd); P <= 2.")
  Integer grid;

  @Option(names = "--chains", paramLabel = "C", description = "MCMC walkers (even, at least 2P; default 32).")
  Integer chains;

  @Option(names = "--steps", paramLabel = "S", description = "MCMC steps (default 1000).")
  Integer steps;

  @Option(names = "--burn-in", paramLabel = "B", description = "MCMC steps left out of the results (default: half the steps); at least 4 steps must remain.")
  Integer burnIn;

  @Option(names = "--samples", paramLabel = "N", description = "With --grid: draws written to --out (default 4000).")
  Integer samples;

  @Option(names = "--truth", paramLabel = "A,B", description = "The true parameters, drawn in the plot and compared with.")
  String truth;

  @Mixin LikelihoodOptions likelihoodOptions;

  @Option(names = "--batch", paramLabel = "B",
      description = "States (parameter points × observations) per ODE solve (default 4096 for vectors, 64 for images).")
  Integer batch;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write the posterior draws [N, P].")
  Path out;

  @Option(names = "--png", paramLabel = "FILE.png",
      description = "A corner plot (marginals and 68%%/95%% contours); with --grid for two parameters, heat maps side by side.")
  Path png;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LikelihoodSpec settings = likelihoodOptions.settings();
    Outputs.atLeast("--limit", limit, 1);
    Outputs.atLeast("--batch", batch, 1);
    Outputs.atLeast("--grid", grid, 2);
    Outputs.atLeast("--samples", samples, 1);
    if (grid != null && (chains != null || steps != null || burnIn != null)) {
      throw new InvalidInputException("give either --grid K or the MCMC settings (--chains, --steps, --burn-in), not both");
    }
    if (grid == null && samples != null) {
      throw new InvalidInputException("--samples applies to --grid; an MCMC writes its kept draws");
    }
    Outputs.file("--out", out, ".npy");
    Outputs.file("--png", png, ".png");
    var device = common.apply();
    Model model = from.open(device);
    Tensor raw = DataFiles.read(data, null, array);
    if (limit != null && limit < raw.size(0)) {
      raw = raw.narrow(0, 0, limit);
    }
    ParameterInference inference = ParameterInference.of(model, raw, settings, common.seedOr(0), batch,
        "data file '" + data + "'");
    int p = inference.dimension();
    Prior pi = Prior.parse(prior, p);
    double[] truthValues = Numbers.parse("--truth", truth);
    if (truthValues != null && truthValues.length != p) {
      throw new InvalidInputException("--truth must hold the model's " + p + (p == 1 ? " parameter" : " parameters")
          + ", got " + truthValues.length + (truthValues.length == 1 ? " value" : " values"));
    }
    EnsembleSampler.Settings mcmc = grid != null ? null : mcmcSettings(p);
    if (grid != null && p > 2) {
      throw new InvalidInputException("--grid covers at most 2 parameters, but the model has " + p
          + "; use --chains and --steps (MCMC) instead");
    }
    if (grid != null) {
      try {
        GridPosterior.checkSize(grid, p);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--grid " + grid + ": " + e.getMessage(), e);
      }
    }
    String[] labels = inference.parameterNames().toArray(new String[0]);
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    long t0 = System.nanoTime();
    double[][] draws;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "observations=%d parameters=%d prior=%s",
        inference.observations(), p, pi.describe()));
    List<PosteriorPlot.Layer> layers = new ArrayList<>();
    double[][] ranges;
    boolean sideBySide = false;
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(common.seedOr(0))) {
      Optional<GridPosterior.Result> exact;
      if (grid != null) {
        long total = (long) Math.pow(grid, p);
        GridPosterior.Result r;
        try (Progress.Bar bar = progress.bar("infer grid", total, "points")) {
          r = inference.grid(pi, grid, (done, all) -> bar.stepTo(done));
        }
        draws = r.sample(samples == null ? 4000 : samples, g);
        line.append(String.format(Locale.ROOT, " grid=%d posterior_mean=%s posterior_sd=%s log_evidence=%.4f", grid,
            list(r.mean()), list(r.sd()), r.logEvidence()));
        layers.add(PosteriorPlot.fromGrid("model", Color.BLACK, false, r));
        ranges = pi.window();
        exact = inference.exactGrid(pi, grid, null);
        sideBySide = exact.isPresent() && p == 2;
      } else {
        McmcResult r;
        try (Progress.Bar bar = progress.bar("infer mcmc", mcmc.steps(), "steps")) {
          r = inference.mcmc(pi, mcmc, g, (done, all, acceptance) -> {
            bar.stepTo(done);
            bar.extra(String.format(Locale.ROOT, "acceptance %.2f", acceptance));
          });
        }
        draws = r.samples();
        line.append(String.format(Locale.ROOT,
            " chains=%d steps=%d burn_in=%d posterior_mean=%s posterior_sd=%s acceptance=%.3f rhat=%s ess=%s",
            mcmc.walkers(), mcmc.steps(), mcmc.burnIn(), list(r.mean()), list(r.sd()), r.meanAcceptance(), list(r.rhat()),
            list0(r.ess())));
        ranges = Marginals.window(draws, truthValues);
        layers.add(PosteriorPlot.fromSamples("model (MCMC)", Color.BLACK, draws, ranges, 36));
        exact = p <= 2 ? inference.exactGrid(pi, 200, Marginals.transpose(ranges)) : Optional.empty();
      }
      if (exact.isPresent()) {
        GridPosterior.Result e = exact.get();
        line.append(String.format(Locale.ROOT, " exact_mean=%s exact_sd=%s", list(e.mean()), list(e.sd())));
        layers.add(PosteriorPlot.fromGrid("exact", new Color(200, 30, 30), true, e));
      }
    }
    ObservedLikelihood likelihood = inference.likelihood();
    double seconds = (System.nanoTime() - t0) / 1e9;
    line.append(String.format(Locale.ROOT, " solves=%d nfe=%d seconds=%.2f", likelihood.solves(), likelihood.nfe(), seconds));
    Npy.write(out, draws);
    if (png != null) {
      String title = "posterior of " + String.join(", ", labels) + " given " + data.getFileName();
      Png.write(sideBySide ? PosteriorPlot.sideBySide(layers, labels, ranges, truthValues, title)
          : PosteriorPlot.corner(layers, labels, ranges, truthValues, title), png);
    }
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("wrote " + out + (png == null ? "" : ", " + png));
    return 0;
  }

  private EnsembleSampler.Settings mcmcSettings(int p) {
    try {
      EnsembleSampler.Settings s = EnsembleSampler.Settings.forDimension(p, chains, steps, burnIn);
      s.checkSize(p);
      return s;
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--chains/--steps/--burn-in: " + e.getMessage(), e);
    }
  }

  private static String list(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return sb.toString();
  }

  private static String list0(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(Math.round(v[i]));
    }
    return sb.toString();
  }
}
