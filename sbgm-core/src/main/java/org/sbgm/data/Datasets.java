package org.sbgm.data;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** Checks on loaded data. */
public final class Datasets {
  private Datasets() {}

  /**
   * Returns {@code t} when every value is finite; otherwise throws, naming {@code source}, the
   * multi-index of the first non-finite value in C order and the value.
   */
  public static Tensor requireFinite(Tensor t, String source) {
    if (!t.is_floating_point() || Torch.allFinite(t)) {
      return t;
    }
    Tensor bad = torch.isfinite(t.reshape(-1)).logical_not().nonzero();
    long flat = bad.get(0).get(0).item_long();
    double v = t.reshape(-1).get(flat).item_double();
    throw new InvalidInputException(source + " holds " + v + " at index " + Arrays.toString(Indices.unravel(flat, Torch.shape(t)))
        + "; expected finite numbers only.");
  }

  /** A {@code [B]} tensor of {@code value} in x's floating dtype (float64 for integer x) and device. */
  static Tensor perSampleConstant(Tensor x, double value) {
    Tensor t = Torch.full(new long[] {x.size(0)}, value, Torch.options(org.sbgm.torch.DType.FLOAT64));
    return t.to(x.device(), x.is_floating_point() ? x.scalar_type() : org.bytedeco.pytorch.global.torch.ScalarType.Double);
  }
}
