package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * {@link Mlp#forwardWithTangents}: the output equals {@link Mlp#forward}, and the tangents equal the
 * Jacobian-vector products from autograd's Jacobian (and, in float64, central finite differences),
 * for every activation, with and without a parameter condition, with shared and per-sample times, on
 * batches that run in several blocks of rows (the last one partial).
 */
class MlpTangentsTest {
  static {
    Torch.init();
  }

  private static final int D = 3;
  /** Three blocks of rows for width 32 with K = 2 tangents, the last one partial (6000 rows at one thread). */
  private static final long BATCH = 2 * Mlp.blockRows(32, 2) + 540;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation a : Activation.values()) {
      for (boolean conditioned : new boolean[] {false, true}) {
        for (boolean shared : new boolean[] {false, true}) {
          cases.add(Arguments.of(a, conditioned, shared));
        }
      }
    }
    return cases.stream();
  }

  private static Mlp network(Activation a, boolean conditioned, DType dtype) {
    Mlp net = new MlpConfig(D, 32, 3, a, TimeEmbeddingConfig.fourier(4, 4.0), conditioned ? 2 : 0).create(5);
    net.to(dtype.scalarType(), false);
    return net;
  }

  @ParameterizedTest(name = "{0}, conditioned {1}, shared t {2}")
  @MethodSource("cases")
  void float64MatchesForwardAndAutograd(Activation a, boolean conditioned, boolean shared) {
    check(a, conditioned, shared, DType.FLOAT64, 1e-12, 1e-10);
  }

  @ParameterizedTest(name = "{0}, conditioned {1}, shared t {2}")
  @MethodSource("cases")
  void float32MatchesForwardAndAutograd(Activation a, boolean conditioned, boolean shared) {
    check(a, conditioned, shared, DType.FLOAT32, 1e-6, 1e-5);
  }

  private static void check(Activation a, boolean conditioned, boolean shared, DType dtype, double outputTol, double jvpTol) {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(11);
      Mlp net = network(a, conditioned, dtype);
      Tensor x = Torch.randn(new long[] {BATCH, D}, g, Torch.options(dtype));
      Tensor t = shared ? Torch.sharedTime(BATCH, 0.37, x) : NetworkChecks.times(g, BATCH).to(dtype.scalarType());
      Tensor pi = conditioned ? Torch.randn(new long[] {BATCH, 2}, g, Torch.options(dtype)) : null;
      Tensor v = Torch.randn(new long[] {2, BATCH, D}, g, Torch.options(dtype));
      NetworkChecks.assertTangentsMatch(net, x, t, pi, v, outputTol, jvpTol);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smoothActivations")
  void float64TangentsMatchCentralDifferences(Activation a) {
    // Independent of autograd: (F(x + h v) - F(x - h v)) / 2h = J v + O(h²), here with one tangent (K = 1)
    try (PointerScope s = new PointerScope(); NoGradGuard off = new NoGradGuard()) {
      Generator g = Torch.generator(12);
      Mlp net = network(a, true, DType.FLOAT64);
      long b = 600;
      Tensor x = Torch.randn(new long[] {b, D}, g, Torch.options(DType.FLOAT64));
      Tensor t = NetworkChecks.times(g, b).to(DType.FLOAT64.scalarType());
      Tensor pi = Torch.randn(new long[] {b, 2}, g, Torch.options(DType.FLOAT64));
      Tensor v = Torch.randn(new long[] {1, b, D}, g, Torch.options(DType.FLOAT64));
      double h = 1e-5;
      Tensor dx = v.select(0, 0).mul(Torch.scalar(h));
      Tensor fd = net.forward(x.add(dx), t, pi, null).sub(net.forward(x.sub(dx), t, pi, null)).div(Torch.scalar(2 * h));
      Tensor jvp = net.forwardWithTangents(x, t, pi, null, v).jvp().select(0, 0);
      double scale = fd.abs().max().item_double();
      double err = NetworkChecks.maxAbsDiff(jvp, fd);
      assertTrue(err <= 1e-7 * scale, a + ": tangent differs from the central difference by " + err + " (scale " + scale + ")");
    }
  }

  static Stream<Activation> smoothActivations() {
    return Stream.of(Activation.SILU, Activation.GELU, Activation.TANH);
  }

  @Test
  void resultsCarryNoGraphEvenWithGradModeOn() {
    try (PointerScope s = new PointerScope(); AutoGradMode on = new AutoGradMode(true)) {
      Generator g = Torch.generator(13);
      Mlp net = network(Activation.SILU, false, DType.FLOAT32);
      Tensor x = NetworkChecks.randn(g, 8, D).requires_grad_(true);
      Tangents r = net.forwardWithTangents(x, NetworkChecks.times(g, 8), null, null, NetworkChecks.randn(g, 1, 8, D));
      assertFalse(r.output().requires_grad());
      assertFalse(r.jvp().requires_grad());
    }
  }

  @Test
  void badTangentsAreAClearError() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(14);
      Mlp net = network(Activation.SILU, false, DType.FLOAT32);
      Tensor x = NetworkChecks.randn(g, 4, D);
      Tensor t = NetworkChecks.times(g, 4);
      String m = assertThrows(InvalidInputException.class,
          () -> net.forwardWithTangents(x, t, null, null, NetworkChecks.randn(g, 4, D))).getMessage();
      assertEquals("Mlp expects tangents of shape [K, 4, 3] with K >= 1, got [4, 3]", m);
      String dtype = assertThrows(InvalidInputException.class, () -> net.forwardWithTangents(x, t, null, null,
          Torch.randn(new long[] {1, 4, D}, g, Torch.options(DType.FLOAT64)))).getMessage();
      assertEquals("Mlp expects tangents of the dtype of x (Float), got Double", dtype);
    }
  }
}
