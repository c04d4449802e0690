package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npy;
import org.sbgm.model.Conditions;
import org.sbgm.model.Model;
import org.sbgm.model.ModelSamples;
import org.sbgm.model.SamplerSpec;
import org.sbgm.model.SamplingListener;
import org.sbgm.model.Trajectory;
import org.sbgm.sample.EdmHeun;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm sample}: draws samples from a trained model (or the exact mixture oracle). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draw samples from a trained model (or an exact Gaussian mixture) and write them, in data units, to a .npy file.",
        "Prints nfe (score evaluations) and seconds.",
        "The samples are drawn in chunks of --batch, chunk i from its own generator derived from --seed (default 0) and i, "
            + "so they depend on --seed and --batch only."},
    footer = {"", "Examples:", "  sbgm sample --model demo-out/model --n 2000 --sampler ode --out x.npy",
        "  sbgm sample --model fm --n 64 --sampler em --steps 500 --out x.npy --png grid.png --trajectory strip.png",
        "  sbgm sample --model fm --n 64 --sampler dpm-solver++ --steps 20 --out x.npy",
        "  sbgm sample --model fm --n 64 --sampler edm-heun --steps 18 --churn 40,0.05,50,1.003 --out x.npy",
        "  sbgm sample --oracle mixture.json --sde vp --n 1000 --out x.npy",
        "  sbgm sample --model runs/sbi --conditions x_obs.npy --n 2000 --out posterior.npy",
        "  sbgm sample --model runs/grf --condition 1.0,3.0 --guidance 2 --n 16 --out x.npy"})
final class SampleCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--n", paramLabel = "N",
      description = "The number of samples (optional with --conditions of N rows: one sample per row).")
  Long n;

  @Option(names = "--sampler", paramLabel = "NAME", defaultValue = "ode",
      description = "em, heun-sde, pc, ode, ddim, edm-heun or dpm-solver++ (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(names = "--steps", paramLabel = "K",
      description = "Steps: em 1000, heun-sde and pc 500, ddim 50, edm-heun 18 (two evaluations each), dpm-solver++ 20 by "
          + "default; with ode, fixed RK4 steps.")
  Integer steps;

  @Option(names = "--eta", paramLabel = "E",
      description = "ddim: stochasticity in [0, 1] (0 deterministic, 1 ancestral); dpm-solver++: >= 0 (1 is SDE-DPM-Solver++). Default 0.")
  Double eta;

  @Option(names = "--churn", paramLabel = "S[,TMIN,TMAX,NOISE]",
      description = "edm-heun: S_churn, optionally with S_tmin, S_tmax and S_noise (default 0, deterministic; "
          + "S_tmin 0, S_tmax infinite, S_noise 1).")
  String churn;

  @Option(names = "--grid", paramLabel = "GRID",
      description = "Time grid of a fixed-step sampler: uniform, quadratic, logsnr, karras or karras:RHO (default: the "
          + "sampler's; uniform, dpm-solver++ logsnr, edm-heun karras).")
  String grid;

  @Option(names = "--rtol", paramLabel = "R", description = "ode: relative tolerance of adaptive Dopri5 (default 1e-5).")
  Double rtol;

  @Option(names = "--atol", paramLabel = "A", description = "ode: absolute tolerance (default 1e-5).")
  Double atol;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "ode with tolerances: the most solver steps per batch before the command fails (default 100000).")
  Integer maxSteps;

  @Mixin ConditionOptions conditions;

  @Option(names = "--guidance", paramLabel = "W",
      description = "Classifier-free guidance weight: s = (1 + W) s(x | c) - W s(x | no condition), for models trained "
          + "with network.conditionDropout > 0 (default: none).")
  Double guidance;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write the samples [N, ...].")
  Path out;

  @Option(names = "--png", paramLabel = "FILE.png", description = "Also draw the samples: an image grid, or a scatter plot of 2-D points.")
  Path png;

  @Option(names = "--trajectory", paramLabel = "FILE.png", description = "Also draw x_t of a few samples at several times t.")
  Path trajectory;

  @Option(names = "--batch", paramLabel = "B",
      description = "Samples per chunk, each one solve with its own generator (default 4096 for vectors, 256 for images).")
  Integer batch;

  @Mixin CommonOptions common;

  @Mixin DistributedOptions dist;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Outputs.atLeast("--n", n, 1);
    Outputs.atLeast("--batch", batch, 1);
    SamplerSpec choice = new SamplerSpec(sampler, steps, rtol, atol, eta, churn(churn), grid, maxSteps);
    Outputs.file("--out", out, ".npy");
    Outputs.file("--png", png, ".png");
    Outputs.file("--trajectory", trajectory, ".png");
    Outputs.distinct("--png", png, "--trajectory", trajectory);
    return dist.run(spec, common, rank -> run(rank, choice)); // --nproc: the ranks' exit status
  }

  /** This rank's share of the work; every rank gets the gathered result, rank 0 writes it. */
  private int run(DistributedOptions.Rank rank, SamplerSpec choice) throws Exception {
    var device = rank.device();
    Model model = from.open(device);
    long[] shape = model.sampleShape();
    boolean pictures = shape.length == 3;
    if ((png != null || trajectory != null) && !pictures && !(shape.length == 1 && shape[0] == 2)) {
      throw new InvalidInputException("--png and --trajectory draw images or 2-D points, but these samples have shape "
          + java.util.Arrays.toString(shape));
    }
    Condition c = conditions.resolve(model);
    long rows = Conditions.count(c);
    if (rows > 1 && n != null && n != rows) {
      throw new InvalidInputException("--n " + n + " does not match the " + rows + " rows of " + conditions.source()
          + " (one sample per row); leave --n out or give --n " + rows);
    }
    if (rows == 1 && n == null) {
      throw new InvalidInputException("give the number of samples with --n N");
    }
    long n = rows > 1 ? rows : this.n;
    Outputs.fitsOneArray("--n", n, shape, 4);
    if (guidance != null) {
      model = model.guided(guidance);
    }
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet() || !rank.isRoot());
    Trajectory recorded = trajectory == null ? null : Trajectory.standard(model.sde().horizon(), pictures ? 6 : 2000);
    int size = batch == null ? (pictures ? 256 : 4096) : batch;
    long batches = (n + size - 1) / size;
    long per = choice.fixedSteps() ? choice.stepsOr() : 1000; // bar units per batch: steps, or permille of [ε, T]
    long t0 = System.nanoTime();
    ModelSamples r;
    try (PointerScope scope = new PointerScope();
        Progress.Bar bar = progress.bar("sample " + choice.name(), per * batches, choice.fixedSteps() ? "steps" : "\u2030")) {
      SamplingListener listener = new SamplingListener() {
        @Override
        public void progress(int b, int mine, double fraction) { // this rank's chunks: scaled to the whole bar
          bar.stepTo(Math.round(per * batches * (b + fraction) / Math.max(1, mine)));
        }

        @Override
        public void firstBatchState(double t, Tensor x) {
          if (recorded != null) {
            recorded.add(t, x);
          }
        }
      };
      r = model.sample(choice, n, size, c, common.seedOr(0), listener, rank.group());
      Torch.retain(r.x());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!rank.isRoot()) {
      return 0;
    }
    Npy.write(out, r.x());
    if (png != null) {
      Pictures.samples(model, r.x(), png);
    }
    if (recorded != null) {
      Pictures.trajectory(model, recorded, trajectory);
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "samples=%d sampler=%s nfe=%d seconds=%.2f", n,
        choice.name(), r.nfe(), seconds));
    if (r.batches() > 1) {
      line.append(" batches=").append(r.batches());
    }
    model.exactSampleCheck(r.x(), common.seedOr(0) + 1).ifPresent(check -> line.append(String.format(Locale.ROOT,
        " exact_logp_of_samples=%.5f exact_logp_of_true_draws=%.5f", check.meanLogDensityOfSamples(),
        check.meanLogDensityOfExactDraws())));
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("sampler: " + choice.describe());
    spec.commandLine().getOut().println("wrote " + out + (png == null ? "" : ", " + png) + (trajectory == null ? "" : ", " + trajectory));
    return 0;
  }

  /** The EDM churn settings of {@code --churn}: S_churn alone, or S_churn, S_tmin, S_tmax, S_noise; null when not given. */
  static EdmHeun.Churn churn(String text) {
    double[] v = Numbers.parse("--churn", text);
    if (v == null) {
      return null;
    }
    if (v.length == 1) {
      return EdmHeun.Churn.of(v[0]);
    }
    if (v.length != 4) {
      throw new InvalidInputException("--churn takes S_churn or S_churn,S_tmin,S_tmax,S_noise, got '" + text + "'");
    }
    return new EdmHeun.Churn(v[0], v[1], v[2], v[3]);
  }
}
