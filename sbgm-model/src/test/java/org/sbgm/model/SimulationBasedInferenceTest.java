package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.LinearGaussian;
import org.sbgm.inference.EnsembleSampler;
import org.sbgm.inference.McmcResult;
import org.sbgm.inference.ObservedLikelihood;
import org.sbgm.inference.Posterior;
import org.sbgm.inference.Prior;
import org.sbgm.io.Npz;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Simulation-based inference both ways on the linear-Gaussian problem, θ ∈ ℝ³ ~ N(0, I), x | θ ~ N(θ − 1, 0.3 I),
 * whose posterior at x_o = 0 is N(0.769, 0.231 I): a small conditional MLP trained here on 20,000 simulated pairs
 * from an .npz (the parameters as data and the simulation as the condition, or the other way round) gives
 * (route 1) posterior draws by sampling at x_o and (route 2) the posterior by an ensemble MCMC over
 * log p(x_o | θ) from the probability-flow ODE plus the prior; both have means within 0.1 and variances within
 * 25% of the exact ones. A model trained on a wrong simulator (x | θ ~ N(θ − 0.5, 0.3 I)) fails the same check.
 */
class SimulationBasedInferenceTest {
  @TempDir static Path dir;
  static final LinearGaussian TRUE = LinearGaussian.standard();
  static final LinearGaussian WRONG = new LinearGaussian(3, -0.5, 0.3);

  @BeforeAll
  static void simulate() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    write(TRUE, dir.resolve("pairs.npz"), 1);
    write(WRONG, dir.resolve("wrong.npz"), 2);
  }

  static void write(LinearGaussian simulator, Path file, long seed) throws Exception {
    try (PointerScope s = new PointerScope(); Generator g = Torch.generator(seed)) {
      LinearGaussian.Pairs pairs = simulator.simulate(20000, g, DType.FLOAT32);
      Map<String, Tensor> arrays = new LinkedHashMap<>();
      arrays.put("theta", pairs.theta());
      arrays.put("x", pairs.x());
      Npz.write(file, arrays, false);
    }
  }

  /** A model of p(data | condition) trained on the arrays of {@code pairs}. */
  static Model train(String pairs, String data, String condition, String name) throws Exception {
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, String.join("\n",
        "data: {source: file, path: " + pairs + ", array: " + data + ", parameters: " + condition + ", validation: 0.02}",
        "network: {type: mlp, width: 128, depth: 3, timeEmbedding: {kind: fourier, dim: 32, scale: 4}}",
        "training: {steps: 3000, batchSize: 256, lr: 2e-3, warmupSteps: 100, emaRate: 0.995, seed: 0}", ""),
        StandardCharsets.UTF_8);
    return Training.fromFile(config).run(dir.resolve(name)).model();
  }

  /** Means within 0.1 and variances within 25% of the exact posterior N(0.769, 0.231 I) at x_o = 0. */
  static boolean matchesTheExactPosterior(double[] mean, double[] variance) {
    double[] m = TRUE.posteriorMean(new double[][] {{0, 0, 0}});
    double v = TRUE.posteriorVariance(1);
    boolean ok = true;
    for (int j = 0; j < 3; j++) {
      ok &= Math.abs(mean[j] - m[j]) < 0.1 && Math.abs(variance[j] / v - 1) < 0.25;
    }
    return ok;
  }

  /** Route 1: 2000 ODE draws of the posterior model at x_o = 0, their mean and variance. */
  static double[][] route1(Model posterior) {
    try (PointerScope s = new PointerScope()) {
      Condition xo = posterior.condition(new double[] {0, 0, 0}, 1);
      double[] draws = Torch.toDoubles(posterior.sample(SamplerSpec.of("ode"), 2000, 2000, xo, 5, null).x());
      return moments(draws, 3);
    }
  }

  /** Route 2: the ensemble MCMC over θ with the likelihood model's log p(x_o | θ) and the N(0, I) prior. */
  static McmcResult route2(Model likelihood) {
    try (PointerScope s = new PointerScope()) {
      ObservedLikelihood ll = likelihood.conditionalDensity(LikelihoodSpec.defaults().withTolerance(1e-3), 0)
          .given(Torch.tensor(new double[] {0, 0, 0}, 1, 3), 4096);
      return EnsembleSampler.run(new Posterior(ll, Prior.parse("normal:0,1", 3)), new EnsembleSampler.Settings(128, 300,
          150, 2.0), Torch.generator(6), null);
    }
  }

  static double[][] moments(double[] flat, int p) {
    int n = flat.length / p;
    double[] m = new double[p];
    double[] v = new double[p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        m[j] += flat[i * p + j] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        v[j] += Math.pow(flat[i * p + j] - m[j], 2) / (n - 1);
      }
    }
    return new double[][] {m, v};
  }

  @Test
  void routeOnePosteriorEstimationMatchesTheExactPosteriorAndAWrongSimulatorFails() throws Exception {
    Model posterior = train("pairs.npz", "theta", "x", "posterior");
    double[][] r = route1(posterior);
    assertTrue(matchesTheExactPosterior(r[0], r[1]), "route 1: mean " + Arrays.toString(r[0]) + " variance "
        + Arrays.toString(r[1]));
    assertEquals(3, posterior.conditionDim());
    assertEquals("standardize", posterior.spec().orElseThrow().parametersTransform().type());

    // its log-likelihood is the posterior density: against the exact Gaussian at a few θ
    try (PointerScope s = new PointerScope()) {
      double[][] theta = {{0.769, 0.769, 0.769}, {0.3, 1.0, 0.9}, {1.2, 0.5, 0.7}};
      double[] nats = posterior.logLikelihood(LikelihoodSpec.defaults(), Torch.tensor(flat(theta), 3, 3),
          posterior.condition(new double[] {0, 0, 0}, 1), 64, 0, null).nats();
      double v = TRUE.posteriorVariance(1);
      for (int i = 0; i < 3; i++) {
        double q = 0;
        for (double t : theta[i]) {
          q += Math.pow(t - 0.7692307692, 2);
        }
        double exact = -0.5 * q / v - 1.5 * Math.log(2 * Math.PI * v);
        assertEquals(exact, nats[i], 0.25, "log p(θ | x_o) at " + Arrays.toString(theta[i]));
      }
    }

    double[][] w = route1(train("wrong.npz", "theta", "x", "posterior-wrong"));
    assertFalse(matchesTheExactPosterior(w[0], w[1]), "a model of the wrong simulator must fail: mean " + Arrays.toString(w[0]));
  }

  @Test
  void routeTwoMcmcOverTheLikelihoodModelMatchesTheExactPosteriorAndAWrongSimulatorFails() throws Exception {
    McmcResult r = route2(train("pairs.npz", "x", "theta", "likelihood"));
    double[][] m = moments(flat(r.samples()), 3);
    assertTrue(matchesTheExactPosterior(m[0], m[1]), "route 2: mean " + Arrays.toString(m[0]) + " variance "
        + Arrays.toString(m[1]) + " ESS " + Arrays.toString(r.ess()));
    assertEquals(601, r.solves() + 1, "two batched ODE solves per step (300 steps) and one for the initial walkers");
    McmcResult w = route2(train("wrong.npz", "x", "theta", "likelihood-wrong"));
    double[][] wm = moments(flat(w.samples()), 3);
    assertFalse(matchesTheExactPosterior(wm[0], wm[1]), "a model of the wrong simulator must fail: mean " + Arrays.toString(wm[0]));
  }

  static double[] flat(double[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }
}
