package org.sbgm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.data.Transform;
import org.sbgm.io.Npy;
import org.sbgm.sample.Sampler;
import org.sbgm.sample.Samples;
import org.sbgm.score.ScoreFunction;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm sample}: draws samples from a trained model (or the exact mixture oracle). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draw samples from a trained model (or an exact Gaussian mixture) and write them, in data units, to a .npy file.",
        "Prints nfe (score evaluations) and seconds."},
    footer = {"", "Examples:", "  sbgm sample --model demo-out/model --n 2000 --sampler ode --out x.npy",
        "  sbgm sample --model fm --n 64 --sampler em --steps 500 --out x.npy --png grid.png --trajectory strip.png",
        "  sbgm sample --oracle mixture.json --sde vp --n 1000 --out x.npy"})
final class SampleCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--n", paramLabel = "N", required = true, description = "The number of samples.")
  long n;

  @Option(names = "--sampler", paramLabel = "NAME", defaultValue = "ode",
      description = "em, pc or ode (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(names = "--steps", paramLabel = "K", description = "Steps: em 1000 and pc 500 by default; with ode, fixed RK4 steps.")
  Integer steps;

  @Option(names = "--rtol", paramLabel = "R", description = "ode: relative tolerance of adaptive Dopri5 (default 1e-5).")
  Double rtol;

  @Option(names = "--atol", paramLabel = "A", description = "ode: absolute tolerance (default 1e-5).")
  Double atol;

  @Option(names = "--condition", paramLabel = "A,B", description = "The condition π of a conditional model, e.g. 1.0,3.0.")
  String condition;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write the samples [N, ...].")
  Path out;

  @Option(names = "--png", paramLabel = "FILE.png", description = "Also draw the samples: an image grid, or a scatter plot of 2-D points.")
  Path png;

  @Option(names = "--trajectory", paramLabel = "FILE.png", description = "Also draw x_t of a few samples at several times t.")
  Path trajectory;

  @Option(names = "--batch", paramLabel = "B", description = "Samples per batch (default 4096 for vectors, 256 for images).")
  Integer batch;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (n < 1) {
      throw new UserError("--n must be at least 1, got " + n);
    }
    if (batch != null && batch < 1) {
      throw new UserError("--batch must be at least 1, got " + batch);
    }
    Samplers.Choice choice = new Samplers.Choice(sampler, steps, rtol, atol);
    Outputs.file("--out", out, ".npy");
    Outputs.file("--png", png, ".png");
    Outputs.file("--trajectory", trajectory, ".png");
    var device = common.apply();
    ScoreSource source = from.open(device);
    double[] pi = Conditions.parse(condition, source.conditionDim(),
        source.model() == null ? null : source.model().spec().conditionNames());
    long[] shape = source.sampleShape();
    boolean pictures = shape.length == 3;
    if ((png != null || trajectory != null) && !pictures && !(shape.length == 1 && shape[0] == 2)) {
      throw new UserError("--png and --trajectory draw images or 2-D points, but these samples have shape "
          + java.util.Arrays.toString(shape));
    }
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    long t0 = System.nanoTime();
    Result r = sample(source, choice, n, batch == null ? (pictures ? 256 : 4096) : batch, pi, common.seedOr(0),
        trajectory != null, progress);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Npy.write(out, r.samples());
    if (png != null) {
      Pictures.samples(source, r.samples(), png);
    }
    if (trajectory != null) {
      Pictures.trajectory(source, r.trajectory(), trajectory);
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "samples=%d sampler=%s nfe=%d seconds=%.2f", n,
        choice.name(), r.nfe(), seconds));
    if (r.batches() > 1) {
      line.append(" batches=").append(r.batches());
    }
    if (source.oracle() != null) {
      Generator g = Torch.generator(common.seedOr(0) + 1);
      try (PointerScope scope = new PointerScope(); g) {
        Tensor x = r.samples().to(torch.ScalarType.Double);
        double model = source.oracle().logDensity(x, Samplers.EPSILON).mean().item_double();
        double exact = source.oracle().logDensity(source.oracle().sample(n, g, Torch.options(DType.FLOAT64)),
            Samplers.EPSILON).mean().item_double();
        line.append(String.format(Locale.ROOT, " exact_logp_of_samples=%.5f exact_logp_of_true_draws=%.5f", model, exact));
      }
    }
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("wrote " + out + (png == null ? "" : ", " + png) + (trajectory == null ? "" : ", " + trajectory));
    return 0;
  }

  /** Samples in data units, their cost, and the recorded trajectory (or null). */
  record Result(Tensor samples, long nfe, int batches, Trajectory trajectory) {}

  /**
   * Draws {@code n} samples in batches and maps them back to data units. Sampling runs with grad mode
   * off: no autograd graph is recorded through the network (about 2x faster, far less memory).
   */
  static Result sample(ScoreSource source, Samplers.Choice choice, long n, int batch, double[] pi, long seed,
      boolean record, Progress progress) {
    Generator g = Torch.generator(seed);
    int batches = (int) ((n + batch - 1) / batch);
    long per = choice.fixedSteps() ? choice.stepsOr() : 1000;
    Trajectory trajectory = record ? Trajectory.standard(source.sde().horizon(), source.sampleShape().length == 3 ? 6 : 2000) : null;
    Transform transform = source.transform().create(null);
    List<Tensor> parts = new ArrayList<>();
    long nfe = 0;
    double horizon = source.sde().horizon();
    try (Progress.Bar bar = progress.bar("sample " + choice.name(), per * batches, choice.fixedSteps() ? "steps" : "\u2030 of t")) {
      for (int b = 0; b < batches; b++) {
        long rows = Math.min(batch, n - (long) b * batch);
        long base = b * per;
        int[] taken = {0};
        StepObserver progressObserver = (t, y, dt) -> {
          taken[0]++;
          bar.stepTo(base + (choice.fixedSteps() ? taken[0] : Math.round(per * (horizon - t) / (horizon - Samplers.EPSILON))));
        };
        boolean recording = trajectory != null && b == 0;
        StepObserver observer = recording ? (t, y, dt) -> {
          trajectory.handleStep(t, y, dt);
          progressObserver.handleStep(t, y, dt);
        } : progressObserver;
        ScoreFunction score = recording ? trajectory.wrap(source.score(), horizon) : source.score();
        Sampler s = choice.create(observer);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
          Samples drawn = s.sample(score, source.sde(), rows, source.sampleShape(), Conditions.of(pi, rows, DType.FLOAT32), g);
          if (!Torch.allFinite(drawn.x())) {
            throw new IllegalStateException("sampling produced non-finite values (is the model trained enough, "
                + "or are there too few --steps?); nothing was written");
          }
          if (recording) {
            trajectory.finish(Samplers.EPSILON, drawn.x());
          }
          Tensor x = transform.inverse(drawn.x());
          parts.add(Torch.retain(x.to(torch.ScalarType.Float).contiguous()));
          nfe += drawn.nfe();
        }
        bar.stepTo(base + per);
      }
    }
    g.close();
    Tensor all = parts.size() == 1 ? parts.get(0) : torch.cat(new org.bytedeco.pytorch.TensorVector(parts.toArray(new Tensor[0])), 0);
    return new Result(all, nfe, batches, trajectory);
  }
}
