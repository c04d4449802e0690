package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * {@link ResidualMlp#forwardWithTangents}: the output equals {@link ResidualMlp#forward} and the tangents
 * equal the Jacobian-vector products of autograd's Jacobian, for every activation, with and without a
 * parameter condition; with dropout only in eval mode.
 */
class ResidualMlpTangentsTest {
  static {
    Torch.init();
  }

  private static final int D = 3;
  private static final long BATCH = 500;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation a : Activation.values()) {
      for (boolean conditioned : new boolean[] {false, true}) {
        cases.add(Arguments.of(a, conditioned));
      }
    }
    return cases.stream();
  }

  private static ResidualMlp network(Activation a, boolean conditioned, double dropout, DType dtype) {
    ResidualMlpConfig c = new ResidualMlpConfig(D, 24, 3, a, dropout, TimeEmbeddingConfig.fourier(4, 4.0), 0);
    ResidualMlp net = (conditioned ? c.withConditionDim(2) : c).create(5);
    net.to(dtype.scalarType(), false);
    return net;
  }

  @ParameterizedTest(name = "{0}, conditioned {1}")
  @MethodSource("cases")
  void float64MatchesForwardAndAutograd(Activation a, boolean conditioned) {
    check(network(a, conditioned, 0, DType.FLOAT64), conditioned, DType.FLOAT64, 1e-12, 1e-10);
  }

  @ParameterizedTest(name = "{0}, conditioned {1}")
  @MethodSource("cases")
  void float32MatchesForwardAndAutograd(Activation a, boolean conditioned) {
    check(network(a, conditioned, 0, DType.FLOAT32), conditioned, DType.FLOAT32, 1e-6, 1e-5);
  }

  private static void check(ResidualMlp net, boolean conditioned, DType dtype, double outputTol, double jvpTol) {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(11);
      Tensor x = Torch.randn(new long[] {BATCH, D}, g, Torch.options(dtype));
      Tensor t = NetworkChecks.times(g, BATCH).to(dtype.scalarType());
      Tensor pi = conditioned ? Torch.randn(new long[] {BATCH, 2}, g, Torch.options(dtype)) : null;
      Tensor v = Torch.randn(new long[] {2, BATCH, D}, g, Torch.options(dtype));
      NetworkChecks.assertTangentsMatch(net, x, t, pi, v, outputTol, jvpTol);
    }
  }

  @Test
  void dropoutNeedsEvalMode() {
    try (PointerScope s = new PointerScope()) {
      ResidualMlp net = network(Activation.SILU, false, 0.2, DType.FLOAT64);
      net.train(true);
      assertFalse(net.tangentsAvailable());
      Tensor x = Torch.randn(new long[] {4, D}, Torch.generator(1), Torch.options(DType.FLOAT64));
      Tensor t = Torch.sharedTime(4, 0.5, x);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> net.forwardWithTangents(x, t, null, null, x.unsqueeze(0)));
      assertTrue(e.getMessage().contains("eval mode"), e.getMessage());
      net.eval();
      assertTrue(net.tangentsAvailable());
      check(net, false, DType.FLOAT64, 1e-12, 1e-10);
      assertFalse(new org.sbgm.score.ScoreModel(network(Activation.SILU, false, 0.2, DType.FLOAT64), org.sbgm.sde.Sdes.vp())
          .supportsTangents(), "a network in training mode with dropout falls back to autograd");
    }
  }
}
