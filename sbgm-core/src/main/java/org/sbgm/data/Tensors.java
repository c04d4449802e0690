package org.sbgm.data;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * Private stand-ins for {@code Torch.rand} and {@code Torch.full}: at commit 421f7f9 both pass a
 * null {@code DimnameListOptional} to libtorch and fail with "Pointer address of argument 2 is
 * NULL"; these use the overloads without dimension names.
 */
final class Tensors {
  private Tensors() {}

  /** U[0, 1) noise shaped {@code shape} from {@code g}. */
  static Tensor rand(long[] shape, Generator g, TensorOptions options) {
    return torch.rand(shape, new GeneratorOptional(g), options);
  }

  /** A tensor shaped {@code shape} filled with {@code value}. */
  static Tensor full(long[] shape, double value, TensorOptions options) {
    return torch.full(shape, Torch.scalar(value), options);
  }

  /** A {@code [B]} tensor of {@code value} in x's floating dtype (float64 for integer x) and device. */
  static Tensor perSample(Tensor x, double value) {
    Tensor t = full(new long[] {x.size(0)}, value, Torch.options(org.sbgm.torch.DType.FLOAT64));
    return t.to(x.device(), x.is_floating_point() ? x.scalar_type() : torch.ScalarType.Double);
  }
}
