package org.sbgm.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.nn.Activation;
import org.sbgm.nn.Mlp;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.score.ScoreTangents;
import org.sbgm.sde.Sde;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The forward-mode divergence (Jacobian-vector products of a {@link ScoreModel} on an {@link Mlp}) gives
 * the same log-likelihoods, point by point, as the autograd path (the same score and SDE paired by
 * {@link DiffusionModel#of}, which has no tangents), for the exact trace and for Hutchinson's estimate
 * with the same probes.
 */
class ForwardModeLikelihoodTest {
  static {
    Torch.init();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("VP, epsilon", new VpSde(), Parameterisation.EPSILON, 0),
        Arguments.of("sub-VP, score, conditioned", new SubVpSde(), Parameterisation.SCORE, 2),
        Arguments.of("VE, epsilon, conditioned", new VeSde(0.01, 10), Parameterisation.EPSILON, 2));
  }

  private static ScoreModel model(Sde sde, Parameterisation p, int dim, int conditionDim, DType dtype) {
    Mlp net = new MlpConfig(dim, 32, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), conditionDim).create(3);
    net.to(dtype.scalarType(), false);
    return new ScoreModel(net, sde, p);
  }

  private static double[][] bothPaths(ScoreModel model, Divergence divergence, Tensor x, Condition c) {
    LogLikelihood ll = LogLikelihood.builder().divergence(divergence).solver(ExplicitRungeKutta.rk4())
        .controller(ConstantStep.steps(12)).epsilon(1e-3).build();
    DiffusionModel plain = DiffusionModel.of(model::score, model.sde()); // no tangents: autograd
    double[] forward = ll.evaluate(model, x, c, Torch.generator(21)).nats();
    double[] autograd = ll.evaluate(plain, x, c, Torch.generator(21)).nats();
    return new double[][] {forward, autograd};
  }

  private static void assertClose(String what, double[][] r, double relative) {
    double worst = 0;
    for (int i = 0; i < r[0].length; i++) {
      worst = Math.max(worst, Math.abs(r[0][i] - r[1][i]) / Math.max(1, Math.abs(r[1][i])));
    }
    System.out.printf("%s: max relative difference forward vs autograd %.2e%n", what, worst);
    assertTrue(worst <= relative, what + ": forward and autograd log-likelihoods differ by " + worst + " (relative)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameLogLikelihoodAsAutograd(String name, Sde sde, Parameterisation p, int conditionDim) {
    for (DType dtype : DType.values()) {
      try (PointerScope s = new PointerScope()) {
        ScoreModel model = model(sde, p, 3, conditionDim, dtype);
        Tensor x = Torch.randn(new long[] {40, 3}, Torch.generator(5), Torch.options(dtype));
        Condition c = conditionDim == 0 ? Condition.NONE
            : Condition.ofParameters(Torch.randn(new long[] {40, conditionDim}, Torch.generator(6), Torch.options(dtype)));
        double tol = dtype == DType.FLOAT64 ? 1e-10 : 1e-5;
        assertClose(name + " " + dtype + " exact", bothPaths(model, Divergence.exact(), x, c), tol);
        assertClose(name + " " + dtype + " Hutchinson(Rademacher, 3)", bothPaths(model, Divergence.hutchinson(3), x, c), tol);
        assertClose(name + " " + dtype + " Hutchinson(Gaussian, 2)",
            bothPaths(model, new Hutchinson(Hutchinson.Probe.GAUSSIAN, 2), x, c), tol);
      }
    }
  }

  @Test
  void exactTraceInGroupsOfBasisTangents() {
    // D = 20 > 16: the exact trace takes two forward-mode passes (16 + 4 basis tangents)
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = model(new VpSde(), Parameterisation.EPSILON, 20, 0, DType.FLOAT64);
      Tensor x = Torch.randn(new long[] {8, 20}, Torch.generator(7), Torch.options(DType.FLOAT64));
      assertClose("D = 20 exact", bothPaths(model, Divergence.exact(), x, Condition.NONE), 1e-10);
    }
  }

  @Test
  void aScoreModelOnAnMlpTakesTheForwardModePath() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = model(new VpSde(), Parameterisation.EPSILON, 3, 0, DType.FLOAT32);
      assertTrue(model.supportsTangents());
      int[] calls = {0};
      DiffusionModel counting = new DiffusionModel() {
        @Override
        public org.sbgm.sde.Sde sde() {
          return model.sde();
        }

        @Override
        public boolean supportsTangents() {
          return true;
        }

        @Override
        public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
          calls[0]++;
          return model.scoreWithTangents(x, t, condition, tangents);
        }

        @Override
        public Tensor score(Tensor x, Tensor t, Condition condition) {
          throw new AssertionError("the forward-mode path must not call score()");
        }
      };
      LikelihoodResult r = LogLikelihood.builder().solver(ExplicitRungeKutta.rk4())
          .controller(ConstantStep.steps(5)).build()
          .evaluate(counting, Torch.randn(new long[] {4, 3}, Torch.generator(8), Torch.options(DType.FLOAT32)), Condition.NONE, null);
      assertEquals(r.nfe(), calls[0], "one forward-mode pass per evaluation of the field (D = 3 basis tangents in one group)");
    }
  }
}
