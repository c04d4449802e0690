package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GroupNormImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/**
 * {@link Layers#groupNorm32} on a bfloat16 input keeps float32 statistics: on data offset by 100 with
 * spread 0.5 (where a mean and variance accumulated in bfloat16, 8 significant bits, would be off by
 * far more than the spread) the result and the gradients of the scale and shift agree with GroupNorm of
 * the same values widened to float32, to the rounding of the bfloat16 output.
 */
class GroupNorm32Test {
  static {
    Torch.init();
  }

  @Test
  void bfloat16InputIsNormalisedWithFloat32Statistics() {
    try (PointerScope s = new PointerScope(); AutoGradMode on = new AutoGradMode(true)) {
      Generator g = Torch.generator(3);
      GroupNormImpl norm = Layers.groupNorm(4, 8);
      try (NoGradGuard ng = new NoGradGuard()) {
        norm.weight().copy_(NetworkChecks.randn(g, 8).mul(Torch.scalar(0.3)).add(Torch.scalar(1.0)));
        norm.bias().copy_(NetworkChecks.randn(g, 8).mul(Torch.scalar(0.1)));
      }
      Tensor x = NetworkChecks.randn(g, 3, 8, 6, 6).mul(Torch.scalar(0.5)).add(Torch.scalar(100.0))
          .to(torch.ScalarType.BFloat16);
      Tensor upstream = NetworkChecks.randn(g, 3, 8, 6, 6);

      Tensor mixed = Layers.groupNorm32(norm, x);
      assertEquals(torch.ScalarType.BFloat16, mixed.scalar_type().intern(), "a bfloat16 output on the CPU");
      mixed.to(torch.ScalarType.Float).mul(upstream).sum().backward();
      Tensor gradWeightMixed = norm.weight().grad().clone();
      Tensor gradBiasMixed = norm.bias().grad().clone();
      assertEquals(torch.ScalarType.Float, gradWeightMixed.scalar_type().intern(), "float32 parameter gradients");
      norm.weight().grad().zero_();
      norm.bias().grad().zero_();

      Tensor wide = norm.forward(x.to(torch.ScalarType.Float));
      wide.mul(upstream).sum().backward();

      Tensor outputError = mixed.to(torch.ScalarType.Float).sub(wide).abs();
      // bfloat16 keeps 8 significant bits: a relative rounding of at most 2^-8 of each output
      double worst = outputError.sub(wide.abs().mul(Torch.scalar(Math.pow(2, -8)))).max().item_double();
      assertTrue(worst <= 1e-6, "output beyond bfloat16 rounding of the float32 result by " + worst);
      double outputScale = wide.abs().max().item_double();
      assertTrue(outputScale > 1.5 && outputScale < 10, "normalised output, max |y| = " + outputScale);
      assertClose(norm.weight().grad(), gradWeightMixed, 0.02, "scale gradient");
      assertClose(norm.bias().grad(), gradBiasMixed, 0.01, "shift gradient"); // the upstream gradient is rounded to bfloat16
    }
  }

  private static void assertClose(Tensor expected, Tensor actual, double relative, String what) {
    double err = actual.sub(expected).norm().item_double();
    double size = expected.norm().item_double();
    assertTrue(err <= relative * size, what + ": relative error " + err / size + " above " + relative);
  }
}
