package org.sbgm.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.RunFailedException;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.data.GaussianRandomField;
import org.sbgm.inverse.GaussianMixturePosterior;
import org.sbgm.inverse.Mask;
import org.sbgm.inverse.Observation;
import org.sbgm.measure.Report;
import org.sbgm.measure.Table;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Inpainting of a Gaussian random field with a model trained on such fields, against the exact answer:
 * at (A, B) the fields are Gaussian, N(0, Σ) with Σ from the spectrum ({@link GaussianRandomField#covariance}),
 * so the posterior given y = M ⊙ x + σ_y n is Gaussian and known in closed form
 * ({@link GaussianMixturePosterior} with one component). A field x is drawn at (A, B), a centred square
 * of {@code hole} × {@code hole} pixels is hidden, and the model's posterior samples (mean and per-pixel
 * standard deviation) are compared with the exact ones over the hidden pixels.
 *
 * @param amplitude A
 * @param exponent B
 * @param hole the side of the hidden square
 * @param noiseStd σ_y (data units)
 */
public record GrfInpainting(double amplitude, double exponent, int hole, double noiseStd) {
  /**
   * What the comparison found. Images are float arrays of n × n pixels, row-major.
   *
   * @param truth the field
   * @param observation y (zero where hidden)
   * @param mask 1 where observed
   * @param exactMean the exact posterior mean
   * @param exactStd the exact posterior per-pixel standard deviation
   * @param modelMean the mean of the model's posterior samples
   * @param modelStd their per-pixel standard deviation
   * @param samples a few of them
   * @param meanError RMS over hidden pixels of (model mean − exact mean), divided by the RMS exact std there
   * @param stdRatio the mean over hidden pixels of model std / exact std
   * @param priorStd the prior's per-pixel standard deviation (for scale)
   * @param nfe score evaluations
   * @param vjps vector-Jacobian products
   */
  public record Result(float[] truth, float[] observation, float[] mask, float[] exactMean, float[] exactStd, float[] modelMean,
      float[] modelStd, float[][] samples, double meanError, double stdRatio, double priorStd, long nfe, long vjps) {
    /** The model's posterior mean minus the exact one, per pixel. */
    public float[] meanDifference() {
      float[] d = new float[modelMean.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = modelMean[i] - exactMean[i];
      }
      return d;
    }

    /** The largest per-pixel standard deviation, exact or model (one scale for both std images). */
    public double stdMax() {
      return Math.max(max(exactStd), max(modelStd));
    }

    /** The largest |model mean − exact mean| over the pixels. */
    public double meanDifferenceMax() {
      double m = 0;
      for (float v : meanDifference()) {
        m = Math.max(m, Math.abs(v));
      }
      return m;
    }

    private static double max(float[] v) {
      double m = 0;
      for (float x : v) {
        m = Math.max(m, x);
      }
      return m;
    }
  }

  /**
   * One method's try: its result, or why it failed (a method that diverges on a model is a measurement too).
   *
   * @param method the posterior method
   * @param samples the posterior samples asked for
   * @param result what it found; empty when it failed
   * @param failure the failure's message; null when it succeeded
   */
  public record Attempt(PosteriorSpec method, long samples, Optional<Result> result, String failure) {
    /** The attempt's row of {@link #report}'s table. */
    public List<String> row() {
      String name = method.name() + " (" + method.stepsOr() + " steps)";
      if (result.isEmpty()) {
        return List.of(name, Long.toString(samples), "diverged: " + failure, "—", "—", "—", "—");
      }
      Result r = result.get();
      return List.of(name, Long.toString(samples), Table.number(r.meanError()), Table.number(r.stdRatio()),
          Table.number(r.priorStd()), Long.toString(r.nfe()), Long.toString(r.vjps()));
    }
  }

  /** {@link #run}, with a run that fails ({@link RunFailedException}: the method diverged) kept as its failure. */
  public Attempt attempt(Model model, PosteriorSpec method, long n, int batch, long seed, SamplingListener listener) {
    try {
      return new Attempt(method, n, Optional.of(run(model, method, n, batch, seed, listener)), null);
    } catch (RunFailedException e) {
      return new Attempt(method, n, Optional.empty(), e.getMessage());
    }
  }

  /** The first attempt that succeeded; a {@link RunFailedException} naming every failure when none did. */
  public static Attempt firstSucceeded(List<Attempt> attempts) {
    return attempts.stream().filter(a -> a.result().isPresent()).findFirst().orElseThrow(
        () -> new RunFailedException("every posterior method diverged on this model: "
            + attempts.stream().map(Attempt::row).toList()) {});
  }

  /** The document docs/grf-inpainting.md: one row per attempt, under notes on what is compared. */
  public Report report(List<Attempt> attempts) {
    Table t = new Table("GRF inpainting at (A, B) = (" + amplitude + ", " + exponent + ")", List.of("method",
        "samples", "mean error", "std ratio", "prior std", "NFE", "VJPs"), attempts.stream().map(Attempt::row).toList());
    return new Report("Inpainting Gaussian random fields: a trained U-Net against the exact conditional",
        "A field drawn at (A, B), a centred " + hole + " × " + hole + " square hidden, the rest observed with σ_y = " + noiseStd
            + ". Mean error: RMS over the hidden pixels of (model posterior mean − exact mean) over the RMS exact posterior std "
            + "there; std ratio: mean over the hidden pixels of model std / exact std (1 is right). The exact posterior is "
            + "Gaussian (GaussianRandomField.covariance, GaussianMixturePosterior). Figure: grf-inpainting.png (top: field, "
            + "observation, exact mean and std; bottom: the first method that did not diverge, its mean and std, their "
            + "difference from the exact mean, samples).",
        List.of(t));
  }

  /**
   * Runs the comparison for {@code model} (trained on GRFs of size n) with {@code method}, {@code n} samples:
   * the field and the observation noise come from {@code Torch.generator(seed)}, the posterior samples from
   * {@code seed} through {@link Model#posterior}'s chunk generators.
   */
  public Result run(Model model, PosteriorSpec method, long n, int batch, long seed, SamplingListener listener) {
    Objects.requireNonNull(model, "model");
    if (model.spec().isEmpty() || !(model.spec().get().data() instanceof GrfDataSpec grf)) {
      throw new InvalidInputException("the GRF inpainting study needs a model trained on Gaussian random fields (source: grf)");
    }
    int size = grf.size();
    if (hole < 1 || hole >= size) {
      throw new InvalidInputException("the hidden square must be 1 to " + (size - 1) + " pixels wide, got " + hole);
    }
    GaussianRandomField field = new GaussianRandomField(GaussianRandomField.Config.fixed(size, amplitude, exponent,
        grf.zeroModeVariance()));
    double[][] cov = field.covariance(amplitude, exponent);
    int d = size * size;
    GaussianMixture prior = new GaussianMixture(new double[] {1}, new double[][] {new double[d]}, new double[][][] {cov});
    double[] m = new double[d];
    int start = (size - hole) / 2;
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        boolean hidden = i >= start && i < start + hole && j >= start && j < start + hole;
        m[i * size + j] = hidden ? 0 : 1;
      }
    }
    try (PointerScope scope = new PointerScope(); Generator generator = Torch.generator(seed)) {
      long[] shape = {1, size, size};
      Mask mask = new Mask(Torch.tensor(m, DType.FLOAT64, shape));
      Tensor x = field.sample(Torch.tensor(new double[] {amplitude, exponent}, DType.FLOAT64, 1, 2), generator).reshape(shape);
      Observation observation = Observation.of(mask, x, noiseStd, generator);
      GaussianMixturePosterior exact = GaussianMixturePosterior.of(prior, observation);
      Condition condition = model.condition(new double[] {amplitude, exponent}, 1);
      ModelPosterior post = model.posterior(method.create(null, model.dtype()), observation, n, batch, condition, seed,
          listener);
      Tensor samples = post.x().reshape(n, d).to(DType.FLOAT64.scalarType());
      double[] mean = Torch.toDoubles(samples.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
      double[] std = Torch.toDoubles(samples.std(new long[] {0}, false, false));
      double[] exactMean = exact.mean();
      double[][] exactCov = exact.covariance();
      double err = 0;
      double scale = 0;
      double ratio = 0;
      int hidden = 0;
      float[] em = new float[d];
      float[] es = new float[d];
      for (int i = 0; i < d; i++) {
        em[i] = (float) exactMean[i];
        es[i] = (float) Math.sqrt(Math.max(0, exactCov[i][i]));
        if (m[i] == 0) {
          err += (mean[i] - exactMean[i]) * (mean[i] - exactMean[i]);
          scale += exactCov[i][i];
          ratio += std[i] / es[i];
          hidden++;
        }
      }
      float[][] few = new float[(int) Math.min(4, n)][];
      for (int i = 0; i < few.length; i++) {
        few[i] = Torch.toFloats(samples.select(0, i));
      }
      return new Result(Torch.toFloats(x), Torch.toFloats(observation.y()), floats(m), em, es, floats(mean), floats(std), few,
          Math.sqrt(err / scale), ratio / hidden, Math.sqrt(cov[0][0]), post.nfe(), post.vjps());
    }
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
