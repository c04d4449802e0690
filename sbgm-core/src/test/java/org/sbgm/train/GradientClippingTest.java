package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

class GradientClippingTest {
  static TensorVector withGradients(double scale) {
    torch.manual_seed(11);
    LinearImpl lin = new LinearImpl(4, 3);
    Tensor x = torch.randn(8, 4).mul(Torch.scalar(scale));
    lin.forward(x).square().sum().backward();
    return lin.parameters();
  }

  static double[] flat(TensorVector p) {
    double[] a = Torch.toDoubles(p.get(0).grad());
    double[] b = Torch.toDoubles(p.get(1).grad());
    double[] out = new double[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void clipsTheGlobalNormAndKeepsTheDirection() {
    Torch.init();
    TensorVector p = withGradients(10);
    double[] before = flat(p);
    double norm = 0;
    for (double v : before) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double clip = 0.5;
    assertTrue(norm > 10 * clip);
    double reported = GradientClipping.clip(p, clip);
    // float32 dot products per gradient (as clip_grad_norm_), summed in float64: float32 rounding, not float64
    assertEquals(norm, reported, 1e-6 * norm, "returns the norm before clipping");
    double after = GradientClipping.globalNorm(p);
    assertTrue(after <= clip * (1 + 1e-6), "norm after clipping " + after);
    assertEquals(clip, after, 1e-5);
    double[] scaled = flat(p);
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i] * clip / (norm + 1e-6), scaled[i], 1e-6 * Math.abs(before[i]) + 1e-12);
    }
  }

  @Test
  void leavesSmallGradientsUntouched() {
    Torch.init();
    TensorVector p = withGradients(0.01);
    double[] before = flat(p);
    double norm = GradientClipping.clip(p, 1e3);
    assertTrue(norm < 1e3);
    assertArrayEquals(before, flat(p), 0.0);
    assertEquals(norm, GradientClipping.clip(p, 0), 0.0, "0 means no clipping");
    assertArrayEquals(before, flat(p), 0.0);
  }
}
