package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Toy;
import org.sbgm.inference.EnsembleSampler;
import org.sbgm.inference.GridPosterior;
import org.sbgm.inference.McmcResult;
import org.sbgm.inference.Prior;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * {@link ParameterInference} on the conditional mixture oracle, p(x | π) = Σ_k w_k N(x; μ_k + A_k π, Σ_k) in two
 * dimensions: its exact grid posterior against the same posterior summed by hand from the mixture's closed form,
 * its grid posterior through the probability-flow ODE against the exact one, and its MCMC against the exact
 * moments within Monte-Carlo error.
 */
class ParameterInferenceTest {
  static final double[] W = {0.4, 0.6};
  static final double[][] MU = {{0, 0}, {0.8, 0.4}};
  static final double[][][] SIGMA = {{{0.30, 0.05}, {0.05, 0.20}}, {{0.25, -0.05}, {-0.05, 0.35}}};
  static final double[][][] MAPS = {{{1.0, 0.3}, {0.0, 0.8}}, {{0.8, 0.0}, {0.2, 1.1}}};
  static final double[][] OBSERVED = {{0.5, 0.2}, {0.1, 0.6}};

  static Model oracle;
  static Tensor observations;

  @BeforeAll
  static void init() {
    Torch.init();
    Torch.setThreads(1);
    oracle = Model.oracle(new ConditionalGaussianMixtureScore(new GaussianMixture(W, MU, SIGMA), MAPS, new VpSde()));
    observations = Torch.retain(Torch.tensor(new double[] {0.5, 0.2, 0.1, 0.6}, DType.FLOAT64, 2, 2));
  }

  /** Σ_i log p(x_i | π) from the mixture's formula, written out. */
  static double logLikelihood(double[] pi) {
    double total = 0;
    for (double[] x : OBSERVED) {
      double p = 0;
      for (int k = 0; k < 2; k++) {
        double m0 = MU[k][0] + MAPS[k][0][0] * pi[0] + MAPS[k][0][1] * pi[1];
        double m1 = MU[k][1] + MAPS[k][1][0] * pi[0] + MAPS[k][1][1] * pi[1];
        double a = SIGMA[k][0][0];
        double b = SIGMA[k][0][1];
        double d = SIGMA[k][1][1];
        double det = a * d - b * b;
        double u = x[0] - m0;
        double v = x[1] - m1;
        double q = (d * u * u - 2 * b * u * v + a * v * v) / det;
        p += W[k] * Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
      }
      total += Math.log(p);
    }
    return total;
  }

  static ParameterInference inference(double tol, Integer states) {
    return ParameterInference.of(oracle, observations, new LikelihoodSpec("exact", null, tol, tol, null), 0, states);
  }

  @Test
  void theExactGridIsTheMixturePosteriorCellByCell() {
    Prior prior = Prior.parse("uniform:-3,3,-2,4", 2);
    GridPosterior.Result exact = inference(1e-4, null).exactGrid(prior, 12, null).orElseThrow();
    double[] logPost = new double[144];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 12; j++) {
        double[] pi = {-3 + (i + 0.5) * 0.5, -2 + (j + 0.5) * 0.5};
        logPost[i * 12 + j] = logLikelihood(pi);
        max = Math.max(max, logPost[i * 12 + j]);
      }
    }
    double z = 0;
    for (double l : logPost) {
      z += Math.exp(l - max);
    }
    for (int c = 0; c < 144; c++) {
      assertEquals(Math.exp(logPost[c] - max) / z, exact.probability()[c], 1e-12, "cell " + c);
    }
    // the evidence: Σ L(θ) π(θ) h² with π = 1/36 on the box and h = 0.5
    assertEquals(max + Math.log(z) + Math.log(0.25 / 36), exact.logEvidence(), 1e-10);
  }

  @Test
  void theGridPosteriorThroughTheOdeIsTheExactOneAndBatchesItsSolves() {
    Prior prior = Prior.parse("uniform:-3,3", 2);
    ParameterInference inference = inference(1e-6, 10);
    assertEquals(10, inference.states());
    long[] calls = {0};
    GridPosterior.Result grid = inference.grid(prior, 10, (done, total) -> calls[0]++);
    // 100 points, 10 states per solve over 2 observations: 5 points per solve
    assertEquals(20, calls[0]);
    assertEquals(20, inference.likelihood().solves());
    assertTrue(inference.likelihood().nfe() > 20, "every solve takes several evaluations");
    GridPosterior.Result exact = inference.exactGrid(prior, 10, null).orElseThrow();
    for (int j = 0; j < 2; j++) {
      assertEquals(exact.mean()[j], grid.mean()[j], 1e-4, "mean " + j);
      assertEquals(exact.sd()[j], grid.sd()[j], 1e-4, "sd " + j);
    }
    assertEquals(exact.logEvidence(), grid.logEvidence(), 1e-3);
  }

  @Test
  void theMcmcAgreesWithTheExactMomentsWithinMonteCarloError() {
    Prior prior = Prior.parse("normal:0,1.5", 2);
    ParameterInference inference = inference(1e-3, null);
    GridPosterior.Result exact = inference.exactGrid(prior, 300, null).orElseThrow();
    McmcResult r;
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(3)) {
      r = inference.mcmc(prior, new EnsembleSampler.Settings(16, 100, 25, 2.0), g, null);
    }
    double[] m = r.mean();
    double[] s = r.sd();
    double[] ess = r.ess();
    for (int j = 0; j < 2; j++) {
      double es = exact.sd()[j];
      assertTrue(Math.abs(m[j] - exact.mean()[j]) < 4 * es / Math.sqrt(ess[j]),
          "mean " + j + ": " + m[j] + " against " + exact.mean()[j] + " (ess " + ess[j] + ")");
      assertTrue(Math.abs(s[j] - es) < 4 * es / Math.sqrt(2 * ess[j]) + 0.005,
          "sd " + j + ": " + s[j] + " against " + es);
    }
    // one solve for the start, then each step moves the two halves of the walkers in one solve each
    assertEquals(2 * 100 + 1, inference.likelihood().solves());
  }

  @Test
  void namesDefaultsAndWhatItRefuses() {
    ParameterInference inference = inference(1e-4, null);
    assertEquals(2, inference.dimension());
    assertEquals(2, inference.observations());
    assertEquals(ParameterInference.DEFAULT_VECTOR_STATES, inference.states());
    assertEquals(List.of("\u03b8\u2081", "\u03b8\u2082"), inference.parameterNames());
    assertTrue(inference.hasExact());
    InvalidInputException wrongPrior = assertThrows(InvalidInputException.class,
        () -> inference.grid(Prior.parse("uniform:0,1", 3), 4, null));
    assertEquals("the prior covers 3 parameters, but the model has 2", wrongPrior.getMessage());
    InvalidInputException states = assertThrows(InvalidInputException.class, () -> inference(1e-4, 0));
    assertEquals("the states per ODE solve must be at least 1, got 0", states.getMessage());
    InvalidInputException shape = assertThrows(InvalidInputException.class, () -> ParameterInference.of(oracle,
        Torch.tensor(new double[6], DType.FLOAT64, 2, 3), LikelihoodSpec.defaults(), 0, null, "x.npy"));
    assertTrue(shape.getMessage().startsWith("x.npy holds an array of shape [2, 3], but the model expects [N, 2]"),
        shape.getMessage());
    Model unconditional = Model.oracle(Toy.eightGaussiansMixture(), new VpSde());
    InvalidInputException none = assertThrows(InvalidInputException.class,
        () -> ParameterInference.of(unconditional, observations, LikelihoodSpec.defaults(), 0, null));
    assertTrue(none.getMessage().contains("unconditional"), none.getMessage());
    assertFalse(none.getMessage().isBlank());
  }

  /** The README's program, compiled here; the tests above run the same calls at smaller sizes. */
  static double[] readmeProgram(Model model) {
    // --- README: parameter inference ---
    ParameterInference inference = ParameterInference.of(model, Torch.tensor(new double[] {0, 0, 0}, 1, 3),
        LikelihoodSpec.defaults(), 0, null);
    Prior prior = Prior.parse("normal:0,1", inference.dimension());
    McmcResult r = inference.mcmc(prior, EnsembleSampler.Settings.of(32, 600), Torch.generator(0), null);
    double[] mean = r.mean(), rhat = r.rhat(), ess = r.ess();
    if (inference.dimension() <= 2) {   // the normalised posterior on a grid, and the exact one where known
      GridPosterior.Result grid = inference.grid(prior, 20, null);
      Optional<GridPosterior.Result> exact = inference.exactGrid(prior, 20, null);
    }
    // --- end ---
    return mean;
  }

  @Test
  void theReadmeShowsTheProgram() throws Exception {
    List<String> source = Files.readAllLines(Path.of("src/test/java/org/sbgm/model/ParameterInferenceTest.java"));
    int from = source.indexOf("    // --- README: parameter inference ---");
    int to = source.indexOf("    // --- end ---");
    assertTrue(from > 0 && to > from, "markers in ParameterInferenceTest.java");
    String block = source.subList(from + 1, to).stream().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains(block + "\n```"), "README.md must show the program verbatim:\n" + block);
  }
}
