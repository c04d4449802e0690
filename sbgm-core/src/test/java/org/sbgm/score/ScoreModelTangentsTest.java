package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.nn.Activation;
import org.sbgm.nn.Mlp;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.sde.Sdes;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * {@link ScoreModel#scoreWithTangents}: the score equals {@link ScoreModel#score} and the products are
 * (∂s/∂x) v = c(t) (∂F/∂x) v with c = -1/σ(t) (EPSILON) or 1 (SCORE), checked against central differences
 * of the score in float64.
 */
class ScoreModelTangentsTest {
  static {
    Torch.init();
  }

  @Test
  void scoreAndProductsMatchTheScoreAndItsDifferences() {
    for (Parameterisation p : Parameterisation.values()) {
      try (PointerScope s = new PointerScope(); NoGradGuard off = new NoGradGuard()) {
        Mlp net = new MlpConfig(2, 32, 2, Activation.TANH, TimeEmbeddingConfig.fourier(4, 4.0), 0).create(1);
        net.to(DType.FLOAT64.scalarType(), false);
        ScoreModel model = new ScoreModel(net, Sdes.subVp(), p);
        assertTrue(model.supportsTangents());
        Generator g = Torch.generator(2);
        Tensor x = Torch.randn(new long[] {50, 2}, g, Torch.options(DType.FLOAT64));
        // per-sample times: σ(t) differs per row, so a wrong broadcast of c(t) over [K, B, D] shows
        Tensor t = Torch.rand(new long[] {50}, g, Torch.options(DType.FLOAT64)).mul(Torch.scalar(0.9)).add(Torch.scalar(0.05));
        Tensor v = Torch.randn(new long[] {2, 50, 2}, g, Torch.options(DType.FLOAT64));
        ScoreTangents r = model.scoreWithTangents(x, t, Condition.NONE, v);
        Tensor score = model.score(x, t, Condition.NONE);
        assertTrue(r.score().sub(score).abs().max().item_double() <= 1e-12 * score.abs().max().item_double());
        double h = 1e-5;
        for (int k = 0; k < 2; k++) {
          Tensor dx = v.select(0, k).mul(Torch.scalar(h));
          Tensor fd = model.score(x.add(dx), t, Condition.NONE).sub(model.score(x.sub(dx), t, Condition.NONE))
              .div(Torch.scalar(2 * h));
          double err = r.jvp().select(0, k).sub(fd).abs().max().item_double();
          assertTrue(err <= 1e-7 * fd.abs().max().item_double(), p + ": tangent " + k + " differs from the central difference by " + err);
        }
      }
    }
  }

  @Test
  void aNetworkWithoutTangentsSaysSo() {
    try (PointerScope s = new PointerScope()) {
      ScoreModel model = new ScoreModel(new Plain(new MlpConfig(2, 16, 1, Activation.SILU,
          TimeEmbeddingConfig.fourier(4, 4.0), 0).create(1)), Sdes.vp());
      assertFalse(model.supportsTangents());
      Tensor x = Torch.randn(new long[] {3, 2}, Torch.generator(3), Torch.options(DType.FLOAT32));
      String m = assertThrows(UnsupportedOperationException.class, () -> model.scoreWithTangents(x,
          Torch.sharedTime(3, 0.5, x), Condition.NONE, x.unsqueeze(0))).getMessage();
      assertEquals("the network Plain does not compute tangents (it is not a TangentNetwork); "
          + "differentiate the score with autograd instead", m);
    }
  }

  /** A network that computes no tangents: an Mlp's forward pass alone. */
  private static final class Plain implements org.sbgm.nn.Network {
    private final Mlp mlp;

    Plain(Mlp mlp) {
      this.mlp = mlp;
    }

    @Override
    public org.bytedeco.pytorch.Module module() {
      return mlp;
    }

    @Override
    public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
      return mlp.forward(x, t, parameters, image);
    }
  }
}
