package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Toy;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/** The model façade: data units, batching, the oracle, and checks of what a user passes. */
class ModelTest {
  @TempDir static Path dir;
  static Model trained;

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    trained = Training.fromFile(TinyRuns.config(dir.resolve("tiny.yaml"), 30)).run(dir.resolve("model")).model();
  }

  @Test
  void likelihoodsInDataUnitsAddTheStandardisationsLogJacobian() {
    TransformSpec t = trained.transformSpec();
    double logJacobian = -t.std().stream().mapToDouble(Math::log).sum(); // y = (x - m)/s: log |det| = -Σ log s
    try (PointerScope scope = new PointerScope()) {
      Tensor x = Toy.eightGaussians(50, Torch.generator(5));
      LikelihoodSpec settings = LikelihoodSpec.defaults().withDivergence("exact").withTolerance(1e-6);
      DataLikelihood data = trained.logLikelihood(settings, x, Condition.NONE, 50, 0, null);
      LikelihoodResult model = LogLikelihood.builder().tolerances(1e-6, 1e-6).epsilon(settings.epsilonOr()).build()
          .evaluate(trained.diffusionModel(), trained.transform(null).forward(x), Condition.NONE, null);
      for (int i = 0; i < 50; i++) {
        assertEquals(model.nats()[i] + logJacobian, data.nats()[i], 1e-9);
      }
      assertEquals(-data.mean() / (2 * Math.log(2)), data.meanBitsPerDim(), 1e-12);
    }
  }

  @Test
  void samplesInDataUnitsAreTheInverseTransformOfTheSamplersDraws() {
    TransformSpec t = trained.transformSpec();
    SamplerSpec em = new SamplerSpec("em", 20, null, null);
    try (PointerScope scope = new PointerScope(); Generator b = Torch.generator(Seeds.derive(11, Seeds.Stream.SAMPLE, 0))) {
      ModelSamples batched = trained.sample(em, 40, 40, Condition.NONE, 11, null); // one chunk: chunk 0's generator
      Samples raw = em.create(null).sample(trained.diffusionModel(), 40, new long[] {2}, Condition.NONE, b);
      double[] y = Torch.toDoubles(raw.x());
      double[] x = Torch.toDoubles(batched.x());
      for (int i = 0; i < 40; i++) {
        for (int j = 0; j < 2; j++) {
          assertEquals((float) (y[2 * i + j] * t.std().get(j) + t.mean().get(j)), (float) x[2 * i + j], 1e-5);
        }
      }
      assertEquals(20, batched.nfe());
      assertEquals(raw.nfe(), batched.nfe());
    }
  }

  @Test
  void batchesCountEvaluationsAndCoverEverySample() {
    try (PointerScope scope = new PointerScope()) {
      ModelSamples s = trained.sample(new SamplerSpec("em", 10, null, null), 25, 10, Condition.NONE, 1, null);
      assertEquals(25, s.x().size(0));
      assertEquals(3, s.batches());
      assertEquals(30, s.nfe());
      assertTrue(Torch.allFinite(s.x()));
    }
  }

  @Test
  void theOracleGivesExactLogLikelihoodsInAnyBatching() {
    GaussianMixture mixture = Toy.eightGaussiansMixture();
    Model oracle = Model.oracle(mixture, new VpSde());
    assertEquals(DType.FLOAT64, oracle.dtype());
    try (PointerScope scope = new PointerScope()) {
      Tensor x = Toy.eightGaussians(12, Torch.generator(2)).to(torch.ScalarType.Double);
      LikelihoodSpec tight = new LikelihoodSpec("exact", null, 1e-8, 1e-8, null);
      double[] whole = oracle.logLikelihood(tight, x, Condition.NONE, 12, 0, null).nats();
      double[] pieces = oracle.logLikelihood(tight, x, Condition.NONE, 5, 0, null).nats();
      double[] exact = oracle.exactLogDensity(x, Condition.NONE, tight.epsilonOr()).orElseThrow();
      for (int i = 0; i < 12; i++) {
        assertEquals(exact[i], whole[i], 1e-5);
        assertEquals(exact[i], pieces[i], 1e-5);
      }
    }
  }

  @Test
  void theLogLikelihoodGridIsTheExactDensityAtTheCellCentresRowZeroAtTheBottom() {
    // one Gaussian off the diagonal, so a grid with x and y swapped (or rows flipped) fails the comparison
    Model oracle = Model.oracle(GaussianMixture.isotropic(new double[] {1}, new double[][] {{2, -1}}, 1.0), new VpSde());
    LikelihoodSpec tight = new LikelihoodSpec("exact", null, 1e-8, 1e-8, null);
    double[][] grid = oracle.logLikelihoodGrid(tight, 4.5, 4, 5, 0);
    double[] centres = {-3.375, -1.125, 1.125, 3.375};
    try (PointerScope scope = new PointerScope()) {
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          Tensor point = Torch.tensor(new double[] {centres[c], centres[r]}, DType.FLOAT64, 1, 2);
          double exact = oracle.exactLogDensity(point, Condition.NONE, tight.epsilonOr()).orElseThrow()[0];
          assertEquals(exact, grid[r][c], 1e-5, "cell " + r + "," + c);
        }
      }
    }
    assertEquals("a log-likelihood grid needs 2-D samples, but this model's samples have shape [3]",
        assertThrows(InvalidInputException.class, () -> Model.oracle(GaussianMixture.isotropic(new double[] {1},
            new double[][] {{0, 0, 0}}, 1.0), new VpSde()).logLikelihoodGrid(tight, 1, 2, 4, 0))
            .getMessage());
  }

  @Test
  void progressReachesEveryBatchInOrder() {
    try (PointerScope scope = new PointerScope()) {
      Tensor x = Toy.eightGaussians(9, Torch.generator(4));
      List<int[]> seen = new java.util.ArrayList<>();
      double[] lastFraction = {-1};
      trained.logLikelihood(LikelihoodSpec.defaults(), x, Condition.NONE, 4, 0, (b, batches, f) -> {
        assertEquals(3, batches);
        assertTrue(f >= 0 && f <= 1, "fraction " + f);
        seen.add(new int[] {b});
        lastFraction[0] = f;
      });
      assertEquals(3, seen.get(seen.size() - 1)[0]);
      assertEquals(0.0, lastFraction[0]);
    }
  }

  @Test
  void conditionsAndDataAreCheckedAgainstTheModel() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> trained.condition(new double[] {1, 2}, 3));
    assertTrue(e.getMessage().contains("unconditional"), e.getMessage());
    assertSame(Condition.NONE, trained.condition(null, 3));
    try (PointerScope scope = new PointerScope()) {
      Tensor wrong = Torch.tensor(new double[] {1, 2, 3, 4, 5, 6}, DType.FLOAT32, 2, 3);
      e = assertThrows(InvalidInputException.class, () -> trained.checkData(wrong, "points.npy"));
      assertTrue(e.getMessage().contains("points.npy") && e.getMessage().contains("[2, 3]")
          && e.getMessage().contains("[N, 2]"), e.getMessage());
      Tensor nan = Torch.tensor(new double[] {1, Double.NaN}, DType.FLOAT32, 1, 2);
      e = assertThrows(InvalidInputException.class, () -> trained.checkData(nan, "points.npy"));
      assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("points.npy"), e.getMessage());
    }
    assertThrows(InvalidInputException.class, () -> trained.sample(SamplerSpec.of("em"), 0, 1, Condition.NONE, 0, null));
    assertSame(trained, trained.on(org.sbgm.torch.Device.resolve("cpu")));
  }

  @Test
  void samplerAndLikelihoodSettingsAreChecked() {
    assertThrows(InvalidInputException.class, () -> SamplerSpec.of("euler"));
    assertThrows(InvalidInputException.class, () -> new SamplerSpec("em", 10, 1e-3, null));
    assertThrows(InvalidInputException.class, () -> new SamplerSpec("ode", 10, 1e-3, null));
    assertThrows(InvalidInputException.class, () -> new SamplerSpec("pc", 0, null, null));
    assertThrows(InvalidInputException.class, () -> new LikelihoodSpec("exact", 2, null, null, null));
    assertThrows(InvalidInputException.class, () -> new LikelihoodSpec("trace", null, null, null, null));
    assertThrows(InvalidInputException.class, () -> new LikelihoodSpec(null, null, 2.0, null, null));
    assertEquals("exact", LikelihoodSpec.defaults().divergenceFor(1, 64));
    assertEquals("hutchinson", LikelihoodSpec.defaults().divergenceFor(1, 65));
    assertEquals("hutchinson", LikelihoodSpec.defaults().divergenceFor(3, 4));
    assertArrayEquals(new long[] {2}, trained.sampleShape());
  }

  @Test
  void posteriorsInDataUnitsAreTheModelUnitProblemMappedThroughTheTransform() {
    TransformSpec t = trained.transformSpec();
    double[] mean = t.mean().stream().mapToDouble(Double::doubleValue).toArray();
    double[] std = t.std().stream().mapToDouble(Double::doubleValue).toArray();
    try (PointerScope scope = new PointerScope()) {
      org.sbgm.inverse.DenseMatrix a = new org.sbgm.inverse.DenseMatrix(
          Torch.tensor(new double[] {1.0, 0.5}, DType.FLOAT64, 1, 2), new long[] {2});
      org.sbgm.inverse.Observation data = new org.sbgm.inverse.Observation(a, Torch.tensor(new double[] {0.7}, DType.FLOAT64, 1), 0.2);
      org.sbgm.inverse.PosteriorSampler method = PosteriorSpec.of("mmps").create(null, DType.FLOAT32);
      ModelPosterior viaModel = trained.posterior(method, data, 12, 12, Condition.NONE, 4, null);
      // by hand: z = (x - mean)/std, so y - A mean = (A diag(std)) z + noise
      Tensor d = Torch.tensor(std, DType.FLOAT64, 2);
      Tensor c = Torch.tensor(mean, DType.FLOAT64, 2);
      org.sbgm.inverse.Observation model = new org.sbgm.inverse.Observation(new org.sbgm.inverse.ScaledInput(a, d),
          data.y().sub(a.apply(c.unsqueeze(0)).squeeze(0)), 0.2);
      Tensor z = method.sample(trained.diffusionModel(), model, 12, Condition.NONE,
          Torch.generator(Seeds.derive(4, Seeds.Stream.SAMPLE, 0))).x();
      double[] expected = Torch.toDoubles(z.to(torch.ScalarType.Double).mul(d).add(c).to(torch.ScalarType.Float));
      assertArrayEquals(expected, Torch.toDoubles(viaModel.x()), 1e-6);
      assertEquals(100, viaModel.nfe());
      assertTrue(viaModel.vjps() > 100);
      org.sbgm.inverse.Observation wrongShape = new org.sbgm.inverse.Observation(
          new org.sbgm.inverse.GaussianBlur(new long[] {3}, 1), Torch.tensor(new double[3], DType.FLOAT64, 3), 0.1);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> trained.posterior(method, wrongShape, 4, 4, Condition.NONE, 4, null));
      assertTrue(e.getMessage().contains("but the model's samples have shape [2]"), e.getMessage());
    }
  }
}
