package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataFiles;
import org.sbgm.inverse.ForwardOperator;
import org.sbgm.inverse.ForwardOperators;
import org.sbgm.inverse.Observation;
import org.sbgm.inverse.PosteriorSampler;
import org.sbgm.io.Npy;
import org.sbgm.model.Model;
import org.sbgm.model.ModelPosterior;
import org.sbgm.model.PosteriorSpec;
import org.sbgm.model.SamplingListener;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm posterior}: samples the posterior of a linear inverse problem with a model (or an exact mixture) as prior. */
@Command(name = "posterior", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sample the posterior p(x | y) of y = A x + sigma_y n with a trained model (or an exact Gaussian mixture) "
        + "as the prior, in data units, to a .npy file. Prints nfe (score evaluations), vjps (backward passes) and seconds;",
        "with --oracle also the error of the posterior mean and covariance against the exact posterior."},
    footer = {"", "Examples:",
        "  sbgm posterior --model runs/grf --condition 1.0,3.0 --observation y.npy --operator mask:m.npy --noise 0.01 \\",
        "      --method mmps --n 64 --out post.npy --png post.png",
        "  sbgm posterior --oracle mixture.json --sde vp --observation y.npy --operator matrix:A.npy --noise 0.1 --method dps \\",
        "      --n 1000 --out post.npy"})
final class PosteriorCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--observation", paramLabel = "FILE.npy", required = true, description = "The observation y, shaped like A's output.")
  Path observation;

  @Option(names = "--operator", paramLabel = "SPEC", required = true,
      description = "mask:FILE.npy (0/1, shaped like a sample), blur:SIGMA (pixels), downsample:K or matrix:FILE.npy ([D_y, D]).")
  String operator;

  @Option(names = "--noise", paramLabel = "SIGMA_Y", required = true, description = "The observation noise sigma_y >= 0 (data units).")
  double noise;

  @Option(names = "--method", paramLabel = "NAME", defaultValue = "mmps",
      description = "dps, pigdm, mmps or repaint (masks only). Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--n", paramLabel = "N", required = true, description = "The number of posterior samples.")
  long n;

  @Option(names = "--steps", paramLabel = "K", description = "Steps (default: dps 200, the others 100).")
  Integer steps;

  @Option(names = "--zeta", paramLabel = "Z", description = "dps: the step size (default 0.3).")
  Double zeta;

  @Option(names = "--iterations", paramLabel = "I", description = "pigdm, mmps: conjugate-gradient iterations (default 20, 2).")
  Integer iterations;

  @Option(names = "--passes", paramLabel = "U", description = "repaint: passes per step (default 1; RePaint uses 10).")
  Integer passes;

  @Mixin ConditionOptions conditions;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write the samples [N, ...].")
  Path out;

  @Option(names = "--png", paramLabel = "FILE.png",
      description = "Also draw the observation, the posterior mean, the per-pixel std and a few samples (images), or the samples (2-D).")
  Path png;

  @Option(names = "--batch", paramLabel = "B",
      description = "Samples per chunk, each with its own generator derived from --seed (default 1024 for vectors, 64 for images).")
  Integer batch;

  @Mixin CommonOptions common;

  @Mixin DistributedOptions dist;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Outputs.atLeast("--n", n, 1);
    Outputs.atLeast("--batch", batch, 1);
    PosteriorSpec choice = new PosteriorSpec(method, steps, zeta, iterations, passes);
    Outputs.file("--out", out, ".npy");
    Outputs.file("--png", png, ".png");
    if (!(noise >= 0) || !Double.isFinite(noise)) {
      throw new InvalidInputException("--noise must be a finite number >= 0, got " + noise);
    }
    return dist.run(spec, common, rank -> run(rank, choice)); // --nproc: the ranks' exit status
  }

  /** This rank's share of the work; every rank gets the gathered result, rank 0 writes it. */
  private int run(DistributedOptions.Rank rank, PosteriorSpec choice) throws Exception {
    var device = rank.device();
    Model model = from.open(device);
    long[] shape = model.sampleShape();
    Outputs.fitsOneArray("--n", n, shape, 4);
    if (png != null && !PosteriorPictures.drawable(shape)) {
      throw new InvalidInputException("--png draws images or 2-D points, but these samples have shape " + java.util.Arrays.toString(shape));
    }
    ForwardOperator a;
    try {
      a = ForwardOperators.parse(operator, shape, null);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--operator: " + e.getMessage(), e);
    }
    Condition c = conditions.resolve(model);
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet() || !rank.isRoot());
    int size = batch == null ? (shape.length == 3 ? 64 : 1024) : batch;
    long t0 = System.nanoTime();
    ModelPosterior r;
    Observation obs;
    PosteriorSampler sampler = choice.create(null, model.dtype());
    try (PointerScope scope = new PointerScope()) {
      Tensor y = DataFiles.read(observation, DataFiles.Format.NPY, null).to(DType.FLOAT64.scalarType());
      try {
        obs = new Observation(a, y, noise);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--observation " + observation + ": " + e.getMessage(), e);
      }
      long batches = (n + size - 1) / size;
      long per = choice.stepsOr();
      try (Progress.Bar bar = progress.bar("posterior " + choice.name(), per * batches, "steps")) {
        r = model.posterior(sampler, obs, n, size, c, common.seedOr(0), new SamplingListener() {
          @Override
          public void progress(int b, int mine, double fraction) { // this rank's chunks: scaled to the whole bar
            bar.stepTo(Math.round(per * batches * (b + fraction) / Math.max(1, mine)));
          }
        }, rank.group());
      }
      Torch.retain(r.x());
      Torch.retain(obs.y());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!rank.isRoot()) {
      return 0;
    }
    Npy.write(out, r.x());
    if (png != null) {
      PosteriorPictures.draw(shape, obs.y(), a.outputShape(), r.x(), choice.name(), png);
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "samples=%d method=%s nfe=%d vjps=%d seconds=%.2f", n,
        choice.name(), r.nfe(), r.vjps(), seconds));
    model.exactPosteriorComparison(obs, r.x(), common.seedOr(0) + 1).ifPresent(cmp -> line.append(String.format(Locale.ROOT,
        " mean_error=%.4f (floor %.4f) covariance_error=%.4f (floor %.4f) mmd2=%.2e (floor %.2e)", cmp.meanError(),
        cmp.meanFloor(), cmp.covarianceError(), cmp.covarianceFloor(), cmp.mmd(), cmp.mmdFloor())));
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("method: " + sampler.describe() + "; operator: " + a.describe() + ", sigma_y " + noise);
    spec.commandLine().getOut().println("wrote " + out + (png == null ? "" : ", " + png));
    return 0;
  }
}
