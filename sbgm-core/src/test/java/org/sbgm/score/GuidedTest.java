package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.sample.EulerMaruyama;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.sample.Samples;
import org.sbgm.sample.TimeGrid;
import org.sbgm.sde.Sde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Classifier-free guidance: on two Gaussian-mixture oracles (one the conditional model, one the dropped
 * condition's) the guided score is (1 + w) s_c − w s_∅ and, independently, the gradient of
 * (1 + w) log p_t(x | c) − w log p_t(x) from autograd; w = 0 samples bit for bit like the conditional model;
 * a bad weight is refused.
 */
class GuidedTest {
  @BeforeAll
  static void init() {
    Torch.init();
    Torch.setThreads(1);
  }

  /** p(x | c) for a non-empty condition, p(x) for the dropped one (an absent condition). */
  private static DiffusionModel pair(GaussianMixtureScore conditional, GaussianMixtureScore unconditional) {
    return DiffusionModel.of((x, t, c) -> c == null || c.isEmpty() ? unconditional.score(x, t, c) : conditional.score(x, t, c),
        conditional.sde());
  }

  @Test
  void theGuidedScoreIsTheFormulaOnTwoMixtureOracles() {
    Sde sde = new VpSde();
    GaussianMixtureScore conditional = new GaussianMixtureScore(new double[] {0.3, 0.7}, new double[][] {{1, 0}, {-1, 2}},
        new double[][][] {{{0.5, 0.1}, {0.1, 0.3}}, {{0.2, 0}, {0, 0.4}}}, sde);
    GaussianMixtureScore unconditional = new GaussianMixtureScore(new double[] {0.5, 0.25, 0.25},
        new double[][] {{0, 0}, {2, 1}, {-2, -1}}, new double[][][] {{{1, 0}, {0, 1}}, {{0.5, 0}, {0, 0.5}},
            {{0.7, 0.2}, {0.2, 0.6}}}, sde);
    DiffusionModel model = pair(conditional, unconditional);
    for (double w : new double[] {0.5, 2.0, -0.5}) {
      try (PointerScope s = new PointerScope()) {
        Tensor x = Torch.randn(new long[] {64, 2}, Torch.generator(1), Torch.options(DType.FLOAT64)).mul(Torch.scalar(2));
        Tensor t = torch.rand(new long[] {64}, new org.bytedeco.pytorch.GeneratorOptional(Torch.generator(2)),
            Torch.options(DType.FLOAT64)).mul(Torch.scalar(0.9)).add(Torch.scalar(0.01));
        Condition c = Condition.ofParameters(Torch.full(new long[] {64, 1}, 1, x));
        double[] guided = Torch.toDoubles(new Guided(model, w).score(x, t, c));
        double[] sc = Torch.toDoubles(conditional.score(x, t, c));
        double[] su = Torch.toDoubles(unconditional.score(x, t, Condition.NONE));
        Tensor reference;
        try (AutoGradMode on = new AutoGradMode(true)) {
          Tensor xr = x.detach().requires_grad_(true);
          Tensor objective = conditional.logDensity(xr, t).mul(Torch.scalar(1 + w))
              .sub(unconditional.logDensity(xr, t).mul(Torch.scalar(w))).sum();
          reference = torch.grad(new TensorVector(objective), new TensorVector(xr), new TensorVector(),
              new BoolOptional(false), false, false).get(0);
        }
        double[] gradient = Torch.toDoubles(reference);
        double maxDiff = 0;
        for (int i = 0; i < guided.length; i++) {
          assertEquals((1 + w) * sc[i] - w * su[i], guided[i], 1e-12 * Math.max(1, Math.abs(guided[i])));
          maxDiff = Math.max(maxDiff, Math.abs(gradient[i] - guided[i]) / Math.max(1, Math.abs(guided[i])));
        }
        assertTrue(maxDiff < 1e-10, "w = " + w + ": guided score differs from ∇[(1+w) log p_c − w log p] by " + maxDiff);
        assertTrue(Math.abs(guided[0] - sc[0]) > 1e-3, "guidance must change the score");
      }
    }
  }

  /** A network score with condition dropout, in eval mode. */
  private static ScoreModel network() {
    var net = new MlpConfig(2, 32, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), 3, 0, 0.2).create(5);
    net.eval();
    return new ScoreModel(net, new VpSde());
  }

  @Test
  void weightZeroSamplesBitForBitLikeTheConditionalModel() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = network();
      Condition c = Condition.ofParameters(Torch.randn(new long[] {50, 3}, Torch.generator(3), Torch.options(DType.FLOAT32)));
      for (var sampler : new org.sbgm.sample.Sampler[] {
          new EulerMaruyama(40, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null),
          new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(20), 1e-3, 30, DType.FLOAT32, null)}) {
        Samples plain = sampler.sample(model, 50, new long[] {2}, c, Torch.generator(9));
        Samples zero = sampler.sample(new Guided(model, 0), 50, new long[] {2}, c, Torch.generator(9));
        Samples guided = sampler.sample(new Guided(model, 3), 50, new long[] {2}, c, Torch.generator(9));
        assertArrayEquals(Torch.toFloats(plain.x()), Torch.toFloats(zero.x()), 0f, sampler + ": w = 0 is the model itself");
        assertEquals(plain.nfe(), zero.nfe());
        assertTrue(plain.x().sub(guided.x()).abs().max().item_double() > 1e-3, sampler + ": w = 3 must change the samples");
      }
    }
  }

  @Test
  void aModelThatRefusesTheDroppedConditionCannotBeGuidedAndBadWeightsAreRefused() {
    try (PointerScope s = new PointerScope()) {
      var net = new MlpConfig(2, 16, 1, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), 3).create(5);
      ScoreModel noDropout = new ScoreModel(net, new VpSde());
      Tensor x = Torch.randn(new long[] {4, 2}, Torch.generator(3), Torch.options(DType.FLOAT32));
      Condition c = Condition.ofParameters(Torch.randn(new long[] {4, 3}, Torch.generator(4), Torch.options(DType.FLOAT32)));
      String m = assertThrows(InvalidInputException.class,
          () -> new Guided(noDropout, 1).score(x, Torch.full(new long[] {4}, 0.5, x), c)).getMessage();
      assertTrue(m.contains("none was given"), m);
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1.5}) {
        String b = assertThrows(InvalidInputException.class, () -> new Guided(noDropout, bad)).getMessage();
        assertTrue(b.startsWith("the guidance weight must be a finite number of at least -1"), b);
      }
    }
  }
}
