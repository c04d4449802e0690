package org.sbgm.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Toy;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;

/**
 * The measurements of the demo (Figure 2) for a model trained on eight Gaussians (built-in configuration
 * {@code eight-gaussians-mlp}): the negative log-likelihood of held-out points through the probability-flow ODE
 * with the exact divergence beside the true mixture's, the model's log-likelihood on a grid for the heat map, and
 * samples of the ODE sampler and of Euler–Maruyama. Each piece is one call, so a caller can show progress between
 * them; the seeds are derived from the training seed as {@code sbgm demo} derives them.
 *
 * <pre>{@code
 * Training training = Training.of(ConfigFiles.builtIn("eight-gaussians-mlp"));
 * TrainedModel trained = training.run(dir);
 * EightGaussiansDemo demo = new EightGaussiansDemo(trained.model(), training.config().training().seed());
 * EightGaussiansDemo.HeldOut h = demo.heldOut(2000);
 * System.out.println(h.modelNll() + " vs " + h.trueNll());
 * }</pre>
 */
public final class EightGaussiansDemo {
  /** The figure window [-L, L]² of the likelihood map. */
  public static final double WINDOW = 4.5;
  /** Solver tolerances (rtol = atol) of the held-out likelihoods and of the ODE sampler. */
  public static final double TOLERANCE = 1e-5;
  /** Solver tolerances of the map's likelihoods (a picture: 1e-3 changes no visible grey level). */
  public static final double MAP_TOLERANCE = 1e-3;
  /** Euler–Maruyama steps. */
  public static final int EM_STEPS = 500;
  /** What the held-out points' generator adds to the seed. */
  static final long HELD_OUT_SEED = 7919;

  private final Model model;
  private final long seed;

  /** The measurements of {@code model}, seeded from {@code seed} (the training seed, for the demo's own numbers). */
  public EightGaussiansDemo(Model model, long seed) {
    this.model = Objects.requireNonNull(model, "model");
    if (!java.util.Arrays.equals(model.sampleShape(), new long[] {2}) || model.conditionDim() != 0) {
      throw new InvalidInputException("the eight-Gaussians demo needs an unconditional model of 2-D points, got shape "
          + java.util.Arrays.toString(model.sampleShape()));
    }
    this.seed = seed;
  }

  /**
   * The held-out measurement.
   *
   * @param points the held-out points {@code [n, 2]}, row-major
   * @param modelNll the mean −log p(x) under the model, in nats
   * @param trueNll the mean −log p(x) under the true mixture
   * @param nfe evaluations of the augmented ODE
   */
  public record HeldOut(double[] points, double modelNll, double trueNll, long nfe) {
    /** modelNll − trueNll: how far the model is from the truth, in nats (0 is perfect, up to Monte-Carlo error). */
    public double gap() {
      return modelNll - trueNll;
    }
  }

  /** The NLL of {@code n} fresh points from the mixture under the model (exact divergence) and under the mixture. */
  public HeldOut heldOut(int n) {
    atLeast2("held-out points", n);
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed + HELD_OUT_SEED)) {
      LikelihoodSpec exact = LikelihoodSpec.defaults().withDivergence("exact").withTolerance(TOLERANCE);
      Tensor test = Toy.eightGaussians(n, g);
      DataLikelihood ll = model.logLikelihood(exact, test, Condition.NONE, n, seed, null);
      double trueNll = -Toy.eightGaussiansLogDensity(test.to(torch.ScalarType.Double)).mean().item_double();
      return new HeldOut(Torch.toDoubles(test), -ll.mean(), trueNll, ll.nfe());
    }
  }

  /** log p(x) on {@code grid} × {@code grid} cell centres over [−{@link #WINDOW}, {@link #WINDOW}]² ({@link Model#logLikelihoodGrid}). */
  public double[][] likelihoodMap(int grid) {
    atLeast2("grid points per side", grid);
    LikelihoodSpec map = LikelihoodSpec.defaults().withDivergence("exact").withTolerance(MAP_TOLERANCE);
    return model.logLikelihoodGrid(map, WINDOW, grid, 2500, 0);
  }

  /** {@code n} probability-flow ODE samples (adaptive, {@link #TOLERANCE}), in one batch. */
  public ModelSamples odeSamples(int n, SamplingListener listener) {
    return draw(new SamplerSpec("ode", null, TOLERANCE, TOLERANCE), n, seed + 1, listener);
  }

  /** {@code n} Euler–Maruyama samples ({@link #EM_STEPS} steps), in one batch. */
  public ModelSamples emSamples(int n, SamplingListener listener) {
    return draw(new SamplerSpec("em", EM_STEPS, null, null), n, seed + 2, listener);
  }

  private ModelSamples draw(SamplerSpec sampler, int n, long s, SamplingListener listener) {
    atLeast2("samples", n);
    return model.sample(sampler, n, n, Condition.NONE, s, listener);
  }

  /** The first {@code n} (or all) training points of {@code trained} in data units, {@code [m, 2]} row-major. */
  public static double[] trainingPoints(TrainedModel trained, int n) {
    try (PointerScope scope = new PointerScope()) {
      Tensor all = trained.data().training().all();
      return Torch.toDoubles(trained.model().transform(null).inverse(all.narrow(0, 0, Math.min(n, all.size(0)))));
    }
  }

  /**
   * Makes {@code dir} ready for a demo run: creates it, or takes an earlier demo's (one holding summary.txt or
   * model/) and clears the files of its model directory so that training starts afresh. Refuses a file, and a
   * non-empty directory that is not an earlier demo's (nothing in it is touched).
   */
  public static void prepareDirectory(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("'" + dir + "' is a file; expected a directory for the demo");
    }
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (var s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve("summary.txt")) && !Files.exists(dir.resolve("model"))) {
        throw new InvalidInputException("directory '" + dir + "' exists and does not hold an earlier demo; choose another directory");
      }
      Path m = dir.resolve("model");
      if (Files.isDirectory(m)) {
        try (var s = Files.list(m)) {
          for (Path p : (Iterable<Path>) s::iterator) {
            if (Files.isRegularFile(p)) {
              Files.delete(p);
            }
          }
        }
      }
    }
    Files.createDirectories(dir);
  }

  private static void atLeast2(String what, int n) {
    if (n < 2) {
      throw new InvalidInputException("the demo needs at least 2 " + what + ", got " + n);
    }
  }
}
