package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.data.GaussianRandomField;
import org.sbgm.io.Npy;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sbgm grf}: draws Gaussian random fields with power spectrum P(k) = A k^-B at one (A, B), the
 * held-out data against which a GRF model's log-likelihoods are compared with the exact density.
 */
@Command(name = "grf", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw periodic Gaussian random fields with power spectrum P(k) = A k^-B (float32 .npy [N, SIZE, SIZE]) "
        + "and print their exact mean log-density. Fields of a GRF-trained model's size and zero-mode variance "
        + "are what `sbgm loglik --condition A,B` compares with the exact density.",
    footer = {"", "Example:", "  sbgm grf --size 16 --n 256 --condition 1.0,3.0 --seed 7 --out fields.npy",
        "  sbgm loglik --model runs/grf --data fields.npy --condition 1.0,3.0 --out ll.npy"})
final class GrfCommand implements Callable<Integer> {
  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "16", description = "Pixels per side (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--n", paramLabel = "N", required = true, description = "Number of fields.")
  long n;

  @Option(names = "--condition", paramLabel = "A,B", required = true, description = "Amplitude A and exponent B of P(k).")
  String condition;

  @Option(names = "--zero-mode-variance", paramLabel = "V",
      description = "Variance of the k = 0 mode (default " + GaussianRandomField.DEFAULT_ZERO_MODE_VARIANCE + ", as training uses).")
  Double zeroModeVariance;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Where to write the fields.")
  Path out;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (size < 2) {
      throw new InvalidInputException("--size must be at least 2, got " + size);
    }
    if (size > GaussianRandomField.MAX_SIZE) {
      throw new InvalidInputException("--size must be at most " + GaussianRandomField.MAX_SIZE + " (SIZE² pixels in one array), "
          + "got " + size);
    }
    if (n < 1) {
      throw new InvalidInputException("--n must be at least 1, got " + n);
    }
    try {
      Npy.checkWritable("--n × --size² = " + n + " × " + size + "² float32 values", (double) n * size * size, 4);
      GaussianRandomField.checkCount(n, size);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage() + "; use a smaller --n or --size", e);
    }
    double[] ab = Numbers.parse("--condition", condition);
    if (ab.length != 2) {
      throw new InvalidInputException("--condition must hold the amplitude A and the exponent B, e.g. 1.0,3.0, got '" + condition + "'");
    }
    if (!(ab[0] > 0)) {
      throw new InvalidInputException("--condition A (the amplitude) must be positive, got " + ab[0]);
    }
    double v = zeroModeVariance == null ? GaussianRandomField.DEFAULT_ZERO_MODE_VARIANCE : zeroModeVariance;
    Outputs.file("--out", out, ".npy");
    GaussianRandomField field;
    try {
      field = new GaussianRandomField(GaussianRandomField.Config.fixed(size, ab[0], ab[1], v));
      field.checkResolution(DType.FLOAT32);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--condition " + condition + (zeroModeVariance == null ? "" : " with --zero-mode-variance "
          + zeroModeVariance) + ": " + e.getMessage(), e);
    }
    common.apply();
    GaussianRandomField.HeldOut held;
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(common.seedOr(0))) {
      try {
        held = field.heldOut(n, g, DType.FLOAT32);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--condition " + condition + ": " + e.getMessage(), e);
      }
      Npy.write(out, held.fields());
    }
    spec.commandLine().getOut().println(String.format(Locale.ROOT, "fields=%d size=%d exact_mean_nats=%.6f exact_bits_per_dim=%.5f",
        n, size, held.meanLogDensity(), held.meanBitsPerDim()));
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }
}
