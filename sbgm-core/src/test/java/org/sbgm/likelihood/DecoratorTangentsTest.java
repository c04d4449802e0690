package org.sbgm.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.CallCounter;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ForwardingDiffusionModel;
import org.sbgm.score.Guided;
import org.sbgm.score.OnDevice;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.SubVpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Every decorator of the library keeps a model's forward-mode tangents: a {@link ScoreModel} on an Mlp
 * (a TangentNetwork) behind a {@link CallCounter}, wrapped in each decorator, gives the log-likelihood through
 * {@link DiffusionModel#scoreWithTangents} only, never through an autograd {@code score} call, and the
 * same numbers as the unwrapped model (or, for a decorator that changes the score, such as {@link Guided}, the
 * numbers of the same decorator through autograd). A new decorator belongs in {@link #decorators()}.
 */
@SuppressWarnings("try")
class DecoratorTangentsTest {
  static {
    Torch.init();
  }

  static Stream<Arguments> decorators() {
    UnaryOperator<DiffusionModel> onCpu = m -> new OnDevice(m, new Device("cpu"));
    UnaryOperator<DiffusionModel> forwarding = m -> new ForwardingDiffusionModel(m) {};
    UnaryOperator<DiffusionModel> guided = m -> new Guided(m, 1.5);
    return Stream.of(
        Arguments.of("OnDevice(cpu)", onCpu, 1, false),
        Arguments.of("OnDevice(OnDevice(cpu))", (UnaryOperator<DiffusionModel>) m -> onCpu.apply(onCpu.apply(m)), 1, false),
        Arguments.of("a bare ForwardingDiffusionModel", forwarding, 1, false),
        Arguments.of("Guided(w = 1.5)", guided, 2, true),
        Arguments.of("OnDevice(Guided(w = 1.5))", (UnaryOperator<DiffusionModel>) m -> onCpu.apply(guided.apply(m)), 2, true),
        Arguments.of("Guided(w = 0)", (UnaryOperator<DiffusionModel>) m -> new Guided(m, 0), 1, false));
  }

  /** An MLP score conditioned on π with condition dropout (so that guidance can drop the condition), in eval mode. */
  private static ScoreModel model() {
    var net = new MlpConfig(3, 32, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), 2, 0, 0.2).create(4);
    net.to(DType.FLOAT64.scalarType(), false);
    net.eval();
    return new ScoreModel(net, new SubVpSde());
  }

  private static LogLikelihood likelihood(Divergence divergence) {
    return LogLikelihood.builder().divergence(divergence).solver(ExplicitRungeKutta.rk4())
        .controller(ConstantStep.steps(8)).epsilon(1e-3).build();
  }

  private static Tensor data() {
    return Torch.randn(new long[] {12, 3}, Torch.generator(5), Torch.options(DType.FLOAT64));
  }

  private static Condition condition() {
    return Condition.ofParameters(Torch.randn(new long[] {12, 2}, Torch.generator(6), Torch.options(DType.FLOAT64)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decorators")
  void theForwardModePathSurvivesEveryDecorator(String name, UnaryOperator<DiffusionModel> decorate, int callsPerEvaluation,
      boolean changesScore) {
    for (Divergence divergence : new Divergence[] {Divergence.exact(), Divergence.hutchinson(2)}) {
      try (PointerScope s = new PointerScope()) {
        ScoreModel model = model();
        CallCounter spy = new CallCounter(model);
        DiffusionModel wrapped = decorate.apply(spy);
        assertTrue(wrapped.supportsTangents(), name + " hides the model's tangents");
        assertEquals(model.sde(), wrapped.sde());
        Tensor x = data();
        Condition c = condition();
        LikelihoodResult through = likelihood(divergence).evaluate(wrapped, x, c, Torch.generator(7));
        assertEquals(0, spy.scores, name + ": the likelihood called score() (autograd) through the decorator");
        assertEquals(callsPerEvaluation * through.nfe(), spy.tangents,
            name + ": forward-mode passes per field evaluation (D = 3 tangents in one group)");
        if (changesScore) {
          // the decorated score through autograd (no tangents) is the reference
          DiffusionModel decorated = decorate.apply(model);
          LikelihoodResult autograd = likelihood(divergence).evaluate(DiffusionModel.of(decorated::score, model.sde()), x, c,
              Torch.generator(7));
          for (int i = 0; i < 12; i++) {
            assertEquals(autograd.nats()[i], through.nats()[i], 1e-10 * Math.max(1, Math.abs(autograd.nats()[i])), name);
          }
          LikelihoodResult plain = likelihood(divergence).evaluate(model, x, c, Torch.generator(7));
          assertTrue(Math.abs(plain.nats()[0] - through.nats()[0]) > 1e-6, name + " should change the log-likelihood");
        } else {
          LikelihoodResult direct = likelihood(divergence).evaluate(model, x, c, Torch.generator(7));
          assertArrayEquals(direct.nats(), through.nats(), 0.0, name + " changed the log-likelihood");
        }
      }
    }
  }

  /** A model without tangents behind OnDevice takes autograd through the copies and agrees with forward mode. */
  @Test
  void withoutTangentsOnDeviceDifferentiatesThroughItsCopies() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = model();
      CallCounter spy = new CallCounter(DiffusionModel.of(model::score, model.sde()));
      DiffusionModel wrapped = new OnDevice(spy, new Device("cpu"));
      assertFalse(wrapped.supportsTangents());
      Tensor x = data();
      Condition c = condition();
      LikelihoodResult autograd = likelihood(Divergence.exact()).evaluate(wrapped, x, c, null);
      LikelihoodResult forward = likelihood(Divergence.exact()).evaluate(model, x, c, null);
      assertEquals(0, spy.tangents);
      assertEquals(autograd.nfe(), spy.scores);
      for (int i = 0; i < 12; i++) {
        assertEquals(forward.nats()[i], autograd.nats()[i], 1e-10 * Math.max(1, Math.abs(forward.nats()[i])));
      }
    }
  }

  /** The one decorator that changes the score, the likelihood guidance of inverse problems, says it has no tangents. */
  @Test
  void theLikelihoodGuidanceReportsNoTangents() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = model();
      org.sbgm.inverse.Observation y = new org.sbgm.inverse.Observation(new org.sbgm.inverse.GaussianBlur(new long[] {3}, 1),
          Torch.tensor(new double[] {0.1, 0.2, 0.3}, DType.FLOAT64, 3), 0.1);
      DiffusionModel guided = new org.sbgm.inverse.LikelihoodGuidance(model, y,
          org.sbgm.inverse.LikelihoodGuidance.Covariance.TWEEDIE, 3);
      assertTrue(model.supportsTangents());
      assertFalse(guided.supportsTangents());
      assertEquals(model.sde(), guided.sde());
    }
  }

  static boolean cuda() {
    return org.sbgm.torch.Device.cudaAvailable();
  }

  /** On a machine with CUDA: the model on the GPU, the solver's state on the CPU, the same numbers. */
  @Test
  @EnabledIf("cuda")
  void onCudaTheLikelihoodMatchesTheCpuAndKeepsTangents() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = data();
      Condition c = condition();
      LikelihoodResult cpu = likelihood(Divergence.exact()).evaluate(model(), x, c, null);
      ScoreModel onGpu = model();
      CallCounter spy = new CallCounter(onGpu);
      onGpu.network().module().to(new Device("cuda"), false);
      DiffusionModel wrapped = new OnDevice(spy, new Device("cuda"));
      LikelihoodResult gpu = likelihood(Divergence.exact()).evaluate(wrapped, x, c, null);
      assertEquals(0, spy.scores);
      assertEquals(gpu.nfe(), spy.tangents);
      for (int i = 0; i < 12; i++) {
        assertEquals(cpu.nats()[i], gpu.nats()[i], 1e-9 * Math.max(1, Math.abs(cpu.nats()[i])));
      }
    }
  }
}
