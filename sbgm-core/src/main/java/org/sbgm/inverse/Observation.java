package org.sbgm.inverse;

import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * One observation of a linear inverse problem, y = A x + σ_y n with n ~ N(0, I): the operator A, the
 * observed y (one observation's shape, float64; the components no signal can change are set to zero,
 * see {@link ForwardOperator#informative}) and the noise level σ_y ≥ 0.
 *
 * @param operator A
 * @param y the observation, {@code operator.outputShape()} (a leading batch dimension of 1 is dropped)
 * @param noiseStd σ_y
 */
public record Observation(ForwardOperator operator, Tensor y, double noiseStd) {
  /**
   * Checks the observation against the operator.
   *
   * @throws InvalidInputException when y does not have the operator's output shape, holds a non-finite
   *     value, or σ_y is negative or not finite
   */
  public Observation {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(y, "y");
    if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
      throw new InvalidInputException("the observation noise sigma_y must be a finite number >= 0, got " + noiseStd);
    }
    long[] want = operator.outputShape();
    long[] got = Torch.shape(y);
    if (got.length == want.length + 1 && got[0] == 1) {
      y = y.reshape(want);
      got = want;
    }
    if (!Arrays.equals(got, want)) {
      throw new InvalidInputException("the observation has shape " + Arrays.toString(got) + ", but the operator ("
          + operator.describe() + ") produces " + Arrays.toString(want));
    }
    if (!Torch.allFinite(y)) {
      throw new InvalidInputException("the observation holds a non-finite value (NaN or infinity)");
    }
    y = Torch.retain(operator.informative(y.to(DType.FLOAT64.scalarType()).unsqueeze(0)).squeeze(0).contiguous());
  }

  /** The observation y = A x + σ_y n of the signal {@code x} (one signal's shape), with the noise drawn from {@code g}. */
  public static Observation of(ForwardOperator operator, Tensor x, double noiseStd, org.bytedeco.pytorch.Generator g) {
    Tensor ax = operator.apply(x.to(DType.FLOAT64.scalarType()).unsqueeze(0)).squeeze(0);
    Tensor noise = Torch.randn(Torch.shape(ax), g, Torch.options(DType.FLOAT64));
    return new Observation(operator, ax.add(noise, Torch.scalar(noiseStd)), noiseStd);
  }

  /** y broadcast over a batch, {@code [1, outputShape...]}, in the dtype and on the device of {@code like}. */
  public Tensor batched(Tensor like) {
    return y.to(like.device(), like.scalar_type()).unsqueeze(0);
  }
}
