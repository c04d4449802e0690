package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.Toy;
import org.sbgm.distributed.Group;
import org.sbgm.inverse.DenseMatrix;
import org.sbgm.inverse.Observation;
import org.sbgm.sample.EdmHeun;
import org.sbgm.score.Condition;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * Sharded sampling, posterior sampling and log-likelihoods give the same values, bit for bit, on N ranks
 * as in one process: the ranks are threads of this JVM ({@link ThreadRanks}, a stand-in for c10d that
 * exercises the chunk plan and the gather, not Gloo), on the exact mixture oracle (float64) and a tiny
 * trained MLP (float32).
 */
class ShardedInferenceTest {
  @TempDir static Path dir;
  static Model mlp;
  static final Model ORACLE = Model.oracle(Toy.eightGaussiansMixture(), new VpSde());

  /** Every sampler, stochastic ones with their noise on (ddim η = 1, edm-heun with churn), with few steps. */
  static final List<SamplerSpec> SAMPLERS = List.of(new SamplerSpec("em", 12, null, null), new SamplerSpec("heun-sde", 8, null, null),
      new SamplerSpec("pc", 6, null, null), new SamplerSpec("ode", null, 1e-4, 1e-4), new SamplerSpec("ode", 8, null, null),
      new SamplerSpec("ddim", 8, null, null, 1.0, null, null),
      new SamplerSpec("edm-heun", 6, null, null, null, EdmHeun.Churn.of(20), null), new SamplerSpec("dpm-solver++", 8, null, null));

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    mlp = Training.fromFile(TinyRuns.config(dir.resolve("tiny.yaml"), 20)).run(dir.resolve("model")).model();
  }

  /** The samples and the NFE of one rank. */
  record Drawn(float[] x, long nfe, int batches, int rows) {}

  static Drawn sample(Model model, SamplerSpec s, long n, int batch, long seed, Group group) {
    try (PointerScope scope = new PointerScope()) {
      ModelSamples r = model.sample(s, n, batch, Condition.NONE, seed, null, group);
      return new Drawn(Torch.toFloats(r.x()), r.nfe(), r.batches(), Math.toIntExact(r.x().size(0)));
    }
  }

  /** Every rank's result equals the single process's: samples bit for bit, NFE summed over the ranks. */
  static void sameOnEveryRank(Model model, SamplerSpec s, long n, int batch, int ranks) {
    Drawn one = sample(model, s, n, batch, 5, Group.single());
    assertEquals(n, one.rows());
    List<Drawn> many = ThreadRanks.run(ranks, g -> sample(model, s, n, batch, 5, g));
    for (int r = 0; r < ranks; r++) {
      String what = s.describe() + ", n " + n + ", batch " + batch + ", rank " + r + " of " + ranks;
      assertArrayEquals(one.x(), many.get(r).x(), what);
      assertEquals(one.nfe(), many.get(r).nfe(), what + ": NFE");
      assertEquals(one.batches(), many.get(r).batches(), what + ": chunks");
    }
  }

  @Test
  void everySamplerGivesTheSameSamplesOnTwoRanksAsOnOne() {
    for (SamplerSpec s : SAMPLERS) {
      sameOnEveryRank(ORACLE, s, 8, 2, 2); // 4 chunks, 2 per rank
      sameOnEveryRank(ORACLE, s, 11, 3, 2); // 4 chunks, the last of 2 rows: not a multiple of batch × ranks
    }
  }

  @Test
  void unevenSplitsAndRanksWithoutChunks() {
    SamplerSpec ode = new SamplerSpec("ode", null, 1e-4, 1e-4);
    sameOnEveryRank(ORACLE, ode, 7, 2, 3); // 4 chunks over 3 ranks: 1, 1, 2
    sameOnEveryRank(ORACLE, ode, 3, 2, 3); // 2 chunks over 3 ranks: rank 0 has none
    sameOnEveryRank(ORACLE, new SamplerSpec("em", 5, null, null), 1, 4, 2); // one chunk of one row, rank 0 has none
  }

  @Test
  void aTrainedNetworkGivesTheSameSamplesOnTwoRanks() {
    for (SamplerSpec s : List.of(new SamplerSpec("em", 12, null, null), new SamplerSpec("ode", null, 1e-4, 1e-4),
        new SamplerSpec("dpm-solver++", 6, null, null))) {
      sameOnEveryRank(mlp, s, 13, 4, 2);
    }
  }

  @Test
  void aChunkIsOneSolveWithItsOwnGenerator() {
    // chunk 1 of a run (rows 4..7) is what the sampler draws for 4 rows from derive(seed, SAMPLE, 1), mapped to data units
    SamplerSpec em = new SamplerSpec("em", 12, null, null);
    float[] all = sample(mlp, em, 10, 4, 9, Group.single()).x();
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(Seeds.derive(9, Seeds.Stream.SAMPLE, 1))) {
      Tensor z = em.create(null).sample(mlp.diffusionModel(), 4, new long[] {2}, Condition.NONE, g).x();
      float[] chunk = Torch.toFloats(mlp.transform(null).inverse(z).to(torch.ScalarType.Float));
      assertArrayEquals(chunk, Arrays.copyOfRange(all, 8, 16));
    }
  }

  @Test
  void theSeedDecidesTheSamples() {
    SamplerSpec em = new SamplerSpec("em", 12, null, null);
    float[] a = sample(ORACLE, em, 6, 3, 1, Group.single()).x();
    assertArrayEquals(a, sample(ORACLE, em, 6, 3, 1, Group.single()).x());
    float[] b = sample(ORACLE, em, 6, 3, 2, Group.single()).x();
    for (int i = 0; i < a.length; i++) {
      assertTrue(a[i] != b[i], "seed 1 and seed 2 agree at value " + i);
    }
    // the chunks of one run draw different noise, too
    float[] c = sample(ORACLE, em, 6, 3, 1, Group.single()).x();
    assertFalse(Arrays.equals(Arrays.copyOfRange(c, 0, 6), Arrays.copyOfRange(c, 6, 12)));
  }

  /** log p(x) of every point on one rank. */
  static double[] loglik(Model model, LikelihoodSpec settings, Tensor x, int batch, long seed, Group group, long[] nfe) {
    try (PointerScope scope = new PointerScope()) {
      DataLikelihood r = model.logLikelihood(settings, x, Condition.NONE, batch, seed, null, group);
      if (nfe != null) {
        nfe[0] = r.nfe();
      }
      return r.nats();
    }
  }

  static void sameLikelihoodsOnEveryRank(Model model, LikelihoodSpec settings, int points, int batch, int ranks) {
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(3)) {
      Tensor x = Torch.retain(Toy.eightGaussians(points, g, model.dtype()));
      try {
        long[] nfe = new long[1];
        double[] one = loglik(model, settings, x, batch, 4, Group.single(), nfe);
        List<double[]> many = ThreadRanks.run(ranks, group -> {
          long[] mine = new long[1];
          double[] v = loglik(model, settings, x, batch, 4, group, mine);
          assertEquals(nfe[0], mine[0], "NFE summed over the ranks");
          return v;
        });
        for (int r = 0; r < ranks; r++) {
          assertArrayEquals(one, many.get(r), 0.0, settings.describe(1, 2) + ": rank " + r + " of " + ranks);
        }
      } finally {
        x.releaseReference();
      }
    }
  }

  @Test
  void logLikelihoodsOnTwoRanksEqualOneExactlyAndWithHutchinson() {
    LikelihoodSpec exact = new LikelihoodSpec("exact", null, 1e-4, 1e-4, null);
    LikelihoodSpec hutchinson = new LikelihoodSpec("hutchinson", 2, 1e-4, 1e-4, null);
    for (LikelihoodSpec s : List.of(exact, hutchinson)) {
      sameLikelihoodsOnEveryRank(ORACLE, s, 11, 3, 2);
      sameLikelihoodsOnEveryRank(mlp, s, 11, 3, 2);
      sameLikelihoodsOnEveryRank(mlp, s, 5, 4, 3); // 2 chunks over 3 ranks: rank 0 has none
    }
  }

  @Test
  void hutchinsonProbesComeFromTheSeed() {
    LikelihoodSpec hutchinson = new LikelihoodSpec("hutchinson", 1, 1e-4, 1e-4, null);
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(3)) {
      Tensor x = Toy.eightGaussians(6, g);
      double[] a = loglik(mlp, hutchinson, x, 3, 1, Group.single(), null);
      assertArrayEquals(a, loglik(mlp, hutchinson, x, 3, 1, Group.single(), null), 0.0);
      // in 2-D a Rademacher probe is one of two up to sign, so single points may agree; the run may not
      double[] b = loglik(mlp, hutchinson, x, 3, 2, Group.single(), null);
      assertFalse(Arrays.equals(a, b), "seeds 1 and 2 give the same Hutchinson estimates");
    }
  }

  @Test
  void posteriorSamplesOnTwoRanksEqualOne() {
    org.sbgm.inverse.PosteriorSampler dps = PosteriorSpec.of("dps").create(null, DType.FLOAT32);
    List<long[]> costs = new ArrayList<>();
    java.util.function.Function<Group, float[]> run = group -> {
      try (PointerScope scope = new PointerScope()) {
        Observation data = new Observation(new DenseMatrix(Torch.tensor(new double[] {1.0, 0.5}, DType.FLOAT64, 1, 2),
            new long[] {2}), Torch.tensor(new double[] {0.7}, DType.FLOAT64, 1), 0.2);
        ModelPosterior p = mlp.posterior(dps, data, 9, 2, Condition.NONE, 6, null, group);
        synchronized (costs) {
          costs.add(new long[] {p.nfe(), p.vjps()});
        }
        return Torch.toFloats(p.x());
      }
    };
    float[] one = run.apply(Group.single());
    for (float[] r : ThreadRanks.run(2, run)) {
      assertArrayEquals(one, r);
    }
    for (long[] c : costs) {
      assertArrayEquals(costs.get(0), c, "NFE and VJPs summed over the ranks");
    }
  }

  /** p(x | π) = 0.4 N(A₁π, Σ₁) + 0.6 N(μ₂ + A₂π, Σ₂) in 2-D, π ∈ ℝ², and one π per row: (0.3 i, −0.2 i). */
  static final Model CONDITIONAL = Model.oracle(new org.sbgm.score.ConditionalGaussianMixtureScore(
      new org.sbgm.score.GaussianMixture(new double[] {0.4, 0.6}, new double[][] {{0, 0}, {0.8, 0.4}},
          new double[][][] {{{0.30, 0.05}, {0.05, 0.20}}, {{0.25, -0.05}, {-0.05, 0.35}}}),
      new double[][][] {{{1.0, 0.3}, {0.0, 0.8}}, {{0.8, 0.0}, {0.2, 1.1}}}, new VpSde()));

  static Condition perRow(long n) {
    double[] pi = new double[(int) n * 2];
    for (int i = 0; i < n; i++) {
      pi[2 * i] = 0.3 * i;
      pi[2 * i + 1] = -0.2 * i;
    }
    return CONDITIONAL.conditions(Torch.tensor(pi, DType.FLOAT64, n, 2), null);
  }

  @Test
  void perSampleConditionsFollowTheirRowsAcrossRanks() {
    SamplerSpec em = new SamplerSpec("em", 12, null, null);
    LikelihoodSpec exact = new LikelihoodSpec("exact", null, 1e-4, 1e-4, null);
    java.util.function.Function<Group, Object[]> run = group -> {
      try (PointerScope scope = new PointerScope()) {
        Condition c = perRow(9);
        ModelSamples s = CONDITIONAL.sample(em, 9, 2, c, 8, null, group);
        double[] ll = CONDITIONAL.logLikelihood(exact, s.x(), c, 2, 8, null, group).nats();
        return new Object[] {Torch.toFloats(s.x()), ll};
      }
    };
    Object[] one = run.apply(Group.single());
    float[] x = (float[]) one[0];
    // the rows follow their conditions: row i is drawn near its mean, which moves with π_i
    assertTrue(x[16] > x[0] + 1, "row 8 (π = (2.4, -1.6)) lies right of row 0 (π = 0): " + x[16] + " vs " + x[0]);
    for (int ranks = 2; ranks <= 3; ranks++) {
      for (Object[] r : ThreadRanks.run(ranks, run)) {
        assertArrayEquals(x, (float[]) r[0], ranks + " ranks: samples");
        assertArrayEquals((double[]) one[1], (double[]) r[1], 0.0, ranks + " ranks: log-likelihoods");
      }
    }
    try (PointerScope scope = new PointerScope()) {
      // and the log-likelihoods are those of each row's own condition (the exact density, to the solver's error)
      Tensor points = Torch.tensor(toDoubles(x), DType.FLOAT64, 9, 2);
      double[] truth = CONDITIONAL.exactLogDensity(points, perRow(9), exact.epsilonOr()).orElseThrow();
      for (int i = 0; i < 9; i++) {
        assertEquals(truth[i], ((double[]) one[1])[i], 1e-2, "row " + i);
      }
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
