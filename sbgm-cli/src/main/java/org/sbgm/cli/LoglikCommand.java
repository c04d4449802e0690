package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataFiles;
import org.sbgm.io.Npy;
import org.sbgm.measure.PointwiseError;
import org.sbgm.model.Conditions;
import org.sbgm.model.DataLikelihood;
import org.sbgm.model.LikelihoodSpec;
import org.sbgm.model.Model;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm loglik}: exact log-likelihoods of data under a trained model (or the exact mixture oracle). */
@Command(name = "loglik", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compute log p(x) of each point of a .npy file under a model through the probability-flow ODE, "
        + "in nats in data units (and bits/dim for image models); writes them to a .npy file [N].",
        "Prints the mean, nfe (evaluations of the augmented ODE) and seconds; with --oracle also the exact "
            + "log-density and the error.",
        "Points are evaluated in chunks of --batch, one ODE solve each; chunk i draws its Hutchinson probes and image "
            + "dequantisation noise from its own generator derived from --seed (default 0) and i."},
    footer = {"", "Examples:", "  sbgm loglik --model demo-out/model --data x.npy --divergence exact --out ll.npy",
        "  sbgm loglik --model fm --data t10k-images-idx3-ubyte.gz --limit 128 --out ll.npy",
        "  sbgm loglik --oracle mixture.json --sde vp --data x.npy --rtol 1e-7 --atol 1e-7 --out ll.npy",
        "  sbgm loglik --model runs/sbi --data thetas.npy --conditions x_obs.npy --out logpost.npy"})
final class LoglikCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--data", paramLabel = "FILE", required = true,
      description = "Points in data units: [N, D] for vector models; [N, C, H, W] (or [N, H, W]) levels 0..255 for "
          + "image models. A .npy, .npz (one array), .csv, IDX file (MNIST format, gzip or not) or a folder of PNGs.")
  Path data;

  @Option(names = "--array", paramLabel = "NAME", description = "The array of an .npz --data archive that holds several.")
  String array;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N points of --data.")
  Long limit;

  @Mixin LikelihoodOptions likelihoodOptions;

  @Mixin ConditionOptions conditions;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write log p(x) per point, in nats.")
  Path out;

  @Option(names = "--batch", paramLabel = "B", description = "Points per chunk, one ODE solve (default 4096 for vectors, 64 for images).")
  Integer batch;

  @Mixin CommonOptions common;

  @Mixin DistributedOptions dist;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LikelihoodSpec settings = likelihoodOptions.settings();
    Outputs.atLeast("--limit", limit, 1);
    Outputs.atLeast("--batch", batch, 1);
    Outputs.file("--out", out, ".npy");
    return dist.run(spec, common, rank -> run(rank, settings)); // --nproc: the ranks' exit status
  }

  /** This rank's share of the work; every rank gets the gathered result, rank 0 writes it. */
  private int run(DistributedOptions.Rank rank, LikelihoodSpec settings) throws Exception {
    var device = rank.device();
    Model model = from.open(device);
    Condition c = conditions.resolve(model);
    String source = "data file '" + data + "'";
    Tensor raw = DataFiles.read(data, null, array);
    long rows = Conditions.count(c);
    if (rows > 1 && rows != raw.size(0)) {
      throw new InvalidInputException(conditions.source() + " holds " + rows + " rows, but " + source + " holds "
          + raw.size(0) + " points; expected one row for all points or one row per point");
    }
    if (limit != null && limit < raw.size(0)) {
      raw = raw.narrow(0, 0, limit);
      if (rows > 1) {
        c = Conditions.rows(c, rows, 0, limit);
      }
    }
    Tensor x = Torch.retain(model.checkData(raw, source));
    long d = model.dimension();
    int axes = model.sampleShape().length;
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet() || !rank.isRoot());
    long t0 = System.nanoTime();
    DataLikelihood r;
    try (Progress.Bar bar = progress.bar("loglik " + settings.divergenceFor(axes, d), 1000, "\u2030")) {
      r = model.logLikelihood(settings, x, c, batch != null ? batch : axes == 3 ? 64 : 4096, common.seedOr(0),
          (b, batches, fraction) -> bar.stepTo(Math.round(1000 * (b + fraction) / batches)), rank.group());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!rank.isRoot()) {
      return 0;
    }
    Npy.write(out, r.nats(), r.nats().length);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "points=%d divergence=%s mean_nats=%.6f",
        r.nats().length, settings.describe(axes, d), r.mean()));
    Optional<double[]> exact;
    try (PointerScope scope = new PointerScope()) {
      exact = model.exactLogDensity(x, c, settings.epsilonOr());
    }
    if (model.isImage() || (exact.isPresent() && model.oracle().isEmpty())) {
      line.append(String.format(Locale.ROOT, " bits_per_dim=%.5f", r.meanBitsPerDim()));
    }
    if (exact.isPresent() && model.oracle().isEmpty()) {
      line.append(String.format(Locale.ROOT, " exact_bits_per_dim=%.5f",
          new DataLikelihood(exact.get(), d, false, 0, 0).meanBitsPerDim()));
    }
    line.append(String.format(Locale.ROOT, " nfe=%d seconds=%.2f", r.nfe(), seconds));
    if (r.batches() > 1) {
      line.append(" batches=").append(r.batches());
    }
    exact.ifPresent(e -> line.append(errors(e, r.nats())).append(model.oracle().isPresent() ? " prior=exact" : " exact=grf"));
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }

  /** " exact_mean_nats=… max_abs_error=… mean_abs_error=…" of {@code nats} against {@code exact}. */
  private static String errors(double[] exact, double[] nats) {
    PointwiseError e = PointwiseError.of(nats, exact);
    return String.format(Locale.ROOT, " exact_mean_nats=%.6f max_abs_error=%.3e mean_abs_error=%.3e",
        java.util.Arrays.stream(exact).average().orElseThrow(), e.maxAbs(), e.meanAbs());
  }
}
