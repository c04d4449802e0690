package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.junit.jupiter.api.Test;
import org.sbgm.nn.Activation;
import org.sbgm.nn.Mlp;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.nn.UNet;
import org.sbgm.nn.UNetConfig;
import org.sbgm.sde.Sde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class ScoreModelTest {
  static {
    Torch.init();
  }

  /** VP SDE, β linear 0.1 -> 20 on [0, 1]: B = 0.1 t + ½ 19.9 t², m = e^{-B/2}, σ = √(1 - e^{-B}). Test scope only. */
  private static final class TinyVpSde implements Sde {
    static double integral(double t) {
      return 0.1 * t + 0.5 * 19.9 * t * t;
    }

    private static Tensor integral(Tensor t) {
      return t.mul(Torch.scalar(0.1)).add(t.mul(t).mul(Torch.scalar(0.5 * 19.9)));
    }

    @Override public double horizon() { return 1.0; }
    @Override public Tensor drift(Tensor x, double t) { return x.mul(Torch.scalar(-0.5 * (0.1 + 19.9 * t))); }
    @Override public Tensor drift(Tensor x, Tensor t) {
      return x.mul(Torch.perSample(t.mul(Torch.scalar(19.9)).add(Torch.scalar(0.1)), x.dim())).mul(Torch.scalar(-0.5));
    }
    @Override public double diffusion(double t) { return Math.sqrt(0.1 + 19.9 * t); }
    @Override public Tensor diffusion(Tensor t) { return t.mul(Torch.scalar(19.9)).add(Torch.scalar(0.1)).sqrt(); }
    @Override public double meanCoefficient(double t) { return Math.exp(-0.5 * integral(t)); }
    @Override public Tensor meanCoefficient(Tensor t) { return integral(t).mul(Torch.scalar(-0.5)).exp(); }
    @Override public double marginalStd(double t) { return Math.sqrt(-Math.expm1(-integral(t))); }
    // -expm1(-B), not 1 - exp(-B): in float32 the latter loses ~eps/B relative accuracy at small t
    @Override public Tensor marginalStd(Tensor t) { return integral(t).neg().expm1().neg().sqrt(); }
    @Override public double priorStd() { return 1.0; }
    @Override public Tensor samplePrior(long n, long[] shape, Generator g, TensorOptions options) {
      long[] full = new long[shape.length + 1];
      full[0] = n;
      System.arraycopy(shape, 0, full, 1, shape.length);
      return Torch.randn(full, g, options);
    }
    @Override public Tensor priorLogDensity(Tensor z) {
      return Torch.sumPerSample(z.mul(z)).mul(Torch.scalar(-0.5))
          .sub(Torch.scalar(0.5 * Torch.perSampleSize(z) * Math.log(2 * Math.PI)));
    }
  }

  private static final Sde SDE = new TinyVpSde();
  private static final double[] TIMES = {1e-3, 0.1, 0.5, 1.0};
  private static final MlpConfig MLP = new MlpConfig(3, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 1.0), 0);

  @Test
  void epsilonScoreIsMinusOutputOverSigma() {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Mlp net = MLP.create(1);
      Tensor x = Torch.randn(new long[] {4, 3}, Torch.generator(2), Torch.options(DType.FLOAT64));
      net.to(DType.FLOAT64.scalarType(), false);
      Tensor t = Torch.tensor(TIMES, 4);
      ScoreModel model = new ScoreModel(net, SDE);
      assertSame(Parameterisation.EPSILON, model.parameterisation());
      double[] out = Torch.toDoubles(net.forward(x, t, null, null));
      double[] score = Torch.toDoubles(model.score(x, t, Condition.NONE));
      double[] want = new double[12];
      for (int b = 0; b < 4; b++) {
        double sigma = Math.sqrt(-Math.expm1(-TinyVpSde.integral(TIMES[b])));
        for (int d = 0; d < 3; d++) {
          want[3 * b + d] = -out[3 * b + d] / sigma;
        }
      }
      assertArrayEquals(want, score, 1e-12);
      assertArrayEquals(out, Torch.toDoubles(model.epsilon(x, t, null)), 0.0);
      assertArrayEquals(out, Torch.toDoubles(model.output(x, t, Condition.NONE)), 0.0);
    }
  }

  @Test
  void scoreParameterisationReturnsTheOutputAndEpsilonIsMinusSigmaTimesIt() {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Mlp net = MLP.create(3);
      Tensor x = Torch.randn(new long[] {4, 3}, Torch.generator(4), Torch.options(DType.FLOAT64));
      net.to(DType.FLOAT64.scalarType(), false);
      Tensor t = Torch.tensor(TIMES, 4);
      ScoreModel model = new ScoreModel(net, SDE, Parameterisation.SCORE);
      double[] out = Torch.toDoubles(net.forward(x, t, null, null));
      assertArrayEquals(out, Torch.toDoubles(model.score(x, t, Condition.NONE)), 0.0);
      double[] eps = Torch.toDoubles(model.epsilon(x, t, Condition.NONE));
      for (int b = 0; b < 4; b++) {
        double sigma = Math.sqrt(-Math.expm1(-TinyVpSde.integral(TIMES[b])));
        for (int d = 0; d < 3; d++) {
          assertEquals(-sigma * out[3 * b + d], eps[3 * b + d], 1e-12);
        }
      }
    }
  }

  @Test
  void imageShapedInputsBroadcastSigmaPerSample() {
    UNetConfig c = new UNetConfig(1, 8, List.of(1), 1, List.of(), false, 1, 0.0, 4, TimeEmbeddingConfig.sinusoidal(8), 0, 0, 0.0);
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      UNet net = c.create(0);
      Tensor x = Torch.randn(new long[] {4, 1, 4, 4}, Torch.generator(5), Torch.options(DType.FLOAT32));
      Tensor t = Torch.tensor(TIMES, DType.FLOAT32, 4);
      ScoreModel model = new ScoreModel(net, SDE);
      double[] out = Torch.toDoubles(net.forward(x, t, null, null));
      double[] score = Torch.toDoubles(model.score(x, t, Condition.NONE));
      for (int b = 0; b < 4; b++) {
        double sigma = Math.sqrt(-Math.expm1(-TinyVpSde.integral(TIMES[b])));
        for (int k = 0; k < 16; k++) {
          assertEquals(-out[16 * b + k] / sigma, score[16 * b + k], 1e-5 * Math.abs(out[16 * b + k] / sigma) + 1e-6);
        }
      }
    }
  }

  @Test
  void leavesGradModeToTheCaller() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = new ScoreModel(MLP.create(1), SDE);
      Tensor x = Torch.randn(new long[] {2, 3}, Torch.generator(6), Torch.options(DType.FLOAT32));
      Tensor t = Torch.tensor(new double[] {0.3, 0.6}, DType.FLOAT32, 2);
      assertTrue(model.score(x, t, Condition.NONE).requires_grad());
      try (NoGradGuard ng = new NoGradGuard()) {
        assertFalse(model.score(x, t, Condition.NONE).requires_grad());
        assertFalse(GradMode.is_enabled());
      }
      assertTrue(GradMode.is_enabled());
    }
  }

  @Test
  void conditionMisuseIsAClearError() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {2, 3}, Torch.generator(7), Torch.options(DType.FLOAT32));
      Tensor t = Torch.tensor(new double[] {0.3, 0.6}, DType.FLOAT32, 2);
      Tensor pi = Torch.randn(new long[] {2, 4}, Torch.generator(8), Torch.options(DType.FLOAT32));
      ScoreModel conditioned = new ScoreModel(MLP.withConditionDim(4).create(0), SDE);
      ScoreModel plain = new ScoreModel(MLP.create(0), SDE);
      assertEquals("Mlp is conditioned on a parameter vector of size 4 (conditionDim = 4), but none was given",
          assertThrows(IllegalArgumentException.class, () -> conditioned.score(x, t, Condition.NONE)).getMessage());
      assertEquals("Mlp was built without a parameter condition (conditionDim = 0), but a parameter tensor of shape [2, 4] was given",
          assertThrows(IllegalArgumentException.class, () -> plain.score(x, t, Condition.ofParameters(pi))).getMessage());
      assertEquals("Mlp was built without an image condition (conditionImageDim = 0), but an image of shape [2, 1, 2, 2] was given",
          assertThrows(IllegalArgumentException.class, () -> plain.score(x, t, Condition.ofImage(
              Torch.randn(new long[] {2, 1, 2, 2}, Torch.generator(9), Torch.options(DType.FLOAT32))))).getMessage());
      assertArrayEquals(new long[] {2, 3}, Torch.shape(conditioned.score(x, t, Condition.ofParameters(pi))));
      assertThrows(IllegalArgumentException.class, () -> new ScoreModel(null, SDE));
    }
  }
}
