package org.sbgm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.cli.config.FileDataSpec;
import org.sbgm.cli.config.GrfDataSpec;
import org.sbgm.cli.data.DataSources;
import org.sbgm.data.BitsPerDim;
import org.sbgm.data.Datasets;
import org.sbgm.data.GaussianRandomField;
import org.sbgm.io.Npy;
import org.sbgm.likelihood.Divergence;
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
            + "log-density and the error."},
    footer = {"", "Examples:", "  sbgm loglik --model demo-out/model --data x.npy --divergence exact --out ll.npy",
        "  sbgm loglik --model fm --data t10k-images-idx3-ubyte.gz --limit 128 --out ll.npy",
        "  sbgm loglik --oracle mixture.json --sde vp --data x.npy --rtol 1e-7 --atol 1e-7 --out ll.npy"})
final class LoglikCommand implements Callable<Integer> {
  @Mixin ModelOptions from;

  @Option(names = "--data", paramLabel = "FILE", required = true,
      description = "Points in data units: [N, D] for vector models; [N, C, H, W] (or [N, H, W]) levels 0..255 for "
          + "image models. A .npy, .npz (one array), .csv, IDX file (MNIST format, gzip or not) or a folder of PNGs.")
  Path data;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N points of --data.")
  Long limit;

  @Option(names = "--divergence", paramLabel = "KIND",
      description = "exact (D vector-Jacobian products) or hutchinson (default: exact for vectors of up to 64 values, "
          + "hutchinson for images).")
  String divergence;

  @Option(names = "--probes", paramLabel = "K", description = "hutchinson: Rademacher probes per point (default 1).")
  Integer probes;

  @Option(names = "--rtol", paramLabel = "R", description = "Relative tolerance of the Dopri5 solver (default 1e-5).")
  Double rtol;

  @Option(names = "--atol", paramLabel = "A", description = "Absolute tolerance (default 1e-5).")
  Double atol;

  @Option(names = "--epsilon", paramLabel = "EPS",
      description = "The time ε at which the density p_ε is evaluated (the ODE starts there; default 1e-5).")
  Double epsilon;

  @Option(names = "--condition", paramLabel = "A,B", description = "The condition π of a conditional model, for every point.")
  String condition;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write log p(x) per point, in nats.")
  Path out;

  @Option(names = "--batch", paramLabel = "B", description = "Points per ODE solve (default 4096 for vectors, 64 for images).")
  Integer batch;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String kind = divergence == null ? null : divergence.toLowerCase(Locale.ROOT);
    if (kind != null && !kind.equals("exact") && !kind.equals("hutchinson")) {
      throw new UserError("--divergence must be exact or hutchinson, got '" + divergence + "'");
    }
    if (probes != null && probes < 1) {
      throw new UserError("--probes must be at least 1, got " + probes);
    }
    if (probes != null && "exact".equals(kind)) {
      throw new UserError("--probes applies only to --divergence hutchinson");
    }
    Samplers.checkTolerance("--rtol", rtol);
    Samplers.checkTolerance("--atol", atol);
    double eps = epsilon == null ? Likelihoods.EPSILON : epsilon;
    if (!(eps > 0 && eps < 0.5)) {
      throw new UserError("--epsilon must lie in (0, 0.5), got " + eps);
    }
    if (limit != null && limit < 1) {
      throw new UserError("--limit must be at least 1, got " + limit);
    }
    if (batch != null && batch < 1) {
      throw new UserError("--batch must be at least 1, got " + batch);
    }
    Outputs.file("--out", out, ".npy");
    var device = common.apply();
    ScoreSource source = from.open(device);
    double[] pi = Conditions.parse(condition, source.conditionDim(),
        source.model() == null ? null : source.model().spec().conditionNames());
    Tensor x = readData(source);
    long d = source.dimension();
    if (kind == null) {
      kind = source.sampleShape().length == 1 && d <= 64 ? "exact" : "hutchinson";
    }
    Divergence div = kind.equals("exact") ? Divergence.exact() : Divergence.hutchinson(probes == null ? 1 : probes);
    Progress progress = new Progress(spec.commandLine().getErr(), common.quiet());
    int b = batch != null ? batch : source.sampleShape().length == 3 ? 64 : 4096;
    int batches = (int) ((x.size(0) + b - 1) / b);
    Generator g = Torch.generator(common.seedOr(0));
    long t0 = System.nanoTime();
    Likelihoods.Result r;
    try (Progress.Bar bar = progress.bar("loglik " + kind, 1000L * batches, "\u2030")) {
      r = Likelihoods.evaluate(source, x, div, rtol == null ? 1e-5 : rtol, atol == null ? 1e-5 : atol, eps, b, pi, g,
          p -> bar.stepTo(Math.round(1000 * p)));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Npy.write(out, r.nats(), r.nats().length);
    double mean = Arrays.stream(r.nats()).average().orElse(Double.NaN);
    String how = kind.equals("exact") ? "exact" : "hutchinson probes=" + (probes == null ? 1 : probes);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "points=%d divergence=%s mean_nats=%.6f", r.nats().length,
        how, mean));
    if (source.images()) {
      // The nats already include log |det| of the scaling, so this is BitsPerDim's general form.
      double bpd;
      try (PointerScope scope = new PointerScope()) {
        bpd = BitsPerDim.fromNats(Torch.tensor(r.nats(), r.nats().length), d).mean().item_double();
      }
      line.append(String.format(Locale.ROOT, " bits_per_dim=%.5f", bpd));
    }
    line.append(String.format(Locale.ROOT, " nfe=%d seconds=%.2f", r.nfe(), seconds));
    if (r.batches() > 1) {
      line.append(" batches=").append(r.batches());
    }
    double[] exact = null;
    String suffix = null;
    if (source.oracle() != null) {
      try (PointerScope scope = new PointerScope()) {
        exact = Torch.toDoubles(source.oracle().logDensity(x, eps));
      }
      suffix = "prior=exact";
    } else if (pi != null && source.model() != null && source.model().spec().data() instanceof GrfDataSpec grf) {
      // a model of Gaussian random fields: their exact density at the given (A, B) is known
      try (PointerScope scope = new PointerScope()) {
        GaussianRandomField field = new GaussianRandomField(
            GaussianRandomField.Config.fixed(grf.size(), pi[0], pi[1], grf.zeroModeVariance()));
        exact = Torch.toDoubles(field.logDensity(x, pi[0], pi[1]));
      } catch (IllegalArgumentException e) {
        throw new UserError("cannot evaluate the exact density of these fields: " + e.getMessage(), e);
      }
      suffix = "exact=grf";
      line.append(String.format(Locale.ROOT, " bits_per_dim=%.5f exact_bits_per_dim=%.5f", -mean / (d * Math.log(2)),
          -Arrays.stream(exact).average().orElse(Double.NaN) / (d * Math.log(2))));
    }
    if (exact != null) {
      double max = 0;
      double sum = 0;
      double exactSum = 0;
      for (int i = 0; i < exact.length; i++) {
        double e = Math.abs(exact[i] - r.nats()[i]);
        max = Math.max(max, e);
        sum += e;
        exactSum += exact[i];
      }
      line.append(String.format(Locale.ROOT, " exact_mean_nats=%.6f max_abs_error=%.3e mean_abs_error=%.3e %s",
          exactSum / exact.length, max, sum / exact.length, suffix));
    }
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }

  /** The data as a tensor checked against the model: shape, finiteness, and 0..255 levels for image models. */
  private Tensor readData(ScoreSource source) {
    if (!Files.exists(data)) {
      throw new UserError("data file '" + data + "' does not exist");
    }
    FileDataSpec spec = new FileDataSpec(data.toAbsolutePath().toString(), null, null, null, null, null);
    try {
      spec.detectedFormat();
    } catch (IllegalArgumentException e) {
      throw new UserError("--data '" + data + "' has no known extension; expected .npy, .npz, .csv, an IDX file "
          + "(*-ubyte, *.idx, optionally .gz) or a folder of PNGs", e);
    }
    Tensor raw = DataSources.read(spec);
    if (limit != null && limit < raw.size(0)) {
      raw = raw.narrow(0, 0, limit);
    }
    long[] want = source.sampleShape();
    long[] got = Torch.shape(raw);
    if (want.length == 3 && want[0] == 1 && got.length == 3) {
      raw = raw.unsqueeze(1);
      got = Torch.shape(raw);
    }
    if (got.length != want.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
      throw new UserError("data file '" + data + "' holds an array of shape " + Arrays.toString(got)
          + ", but the model expects [N, " + Arrays.toString(want).replaceAll("[\\[\\]]", "") + "]");
    }
    if (got[0] < 1) {
      throw new UserError("data file '" + data + "' holds no points");
    }
    Tensor x = raw.to(source.oracle() != null ? torch.ScalarType.Double : torch.ScalarType.Float);
    try {
      Datasets.requireFinite(x, "data file '" + data + "'");
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (source.images()) {
      double lo = x.min().item_double();
      double hi = x.max().item_double();
      if (lo < 0 || hi > 255) {
        throw new UserError("data file '" + data + "' holds values from " + lo + " to " + hi
            + ", but this image model expects 256-level data (0..255)");
      }
    }
    return Torch.retain(x.contiguous());
  }
}
