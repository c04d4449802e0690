package org.sbgm.data;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * The per-feature affine map y = a ⊙ x + b, where feature c is dimension 1 of the batch (a column
 * of {@code [B, D]} data, a channel of {@code [B, C, H, W]} images); a single scale and shift apply
 * to every value. Its Jacobian is diagonal, so log |det| = Σ_c n_c log |a_c| with n_c the number
 * of values of feature c in one sample.
 */
public final class Affine implements Transform {
  private final double[] scale;
  private final double[] shift;

  /**
   * @param scale a_c, nonzero; length 1 (all values) or the number of features
   * @param shift b_c; the same length as {@code scale}
   */
  public Affine(double[] scale, double[] shift) {
    if (scale.length == 0 || scale.length != shift.length) {
      throw new InvalidInputException("affine scale and shift must be non-empty and of equal length, got "
          + scale.length + " and " + shift.length);
    }
    for (int i = 0; i < scale.length; i++) {
      if (scale[i] == 0 || !Double.isFinite(scale[i]) || !Double.isFinite(shift[i])) {
        throw new InvalidInputException("affine feature " + i + " has scale " + scale[i] + " and shift " + shift[i]
            + "; expected a finite nonzero scale and a finite shift");
      }
    }
    this.scale = scale.clone();
    this.shift = shift.clone();
  }

  /** y = a x + b on every value. */
  public static Affine of(double scale, double shift) {
    return new Affine(new double[] {scale}, new double[] {shift});
  }

  /** The scales a_c (a copy). */
  public double[] scale() {
    return scale.clone();
  }

  /** The shifts b_c (a copy). */
  public double[] shift() {
    return shift.clone();
  }

  @Override
  public Tensor forward(Tensor x) {
    return x.mul(broadcast(scale, x)).add(broadcast(shift, x));
  }

  @Override
  public Tensor inverse(Tensor y) {
    return y.sub(broadcast(shift, y)).div(broadcast(scale, y));
  }

  @Override
  public Tensor logAbsDetJacobian(Tensor x) {
    broadcast(scale, x); // validates the shape
    double perValue = 0;
    for (double a : scale) {
      perValue += Math.log(Math.abs(a));
    }
    double perSample = scale.length == 1 ? Torch.perSampleSize(x) * perValue : Torch.perSampleSize(x) / scale.length * perValue;
    return Datasets.perSampleConstant(x, perSample);
  }

  /** {@code values} shaped [1, C, 1, ..., 1] in the dtype and device of {@code x}. */
  private static Tensor broadcast(double[] values, Tensor x) {
    if (values.length == 1) {
      return Torch.tensor(values, new long[0]).to(x.device(), x.scalar_type());
    }
    if (x.dim() < 2 || x.size(1) != values.length) {
      throw new InvalidInputException("data of shape " + Arrays.toString(Torch.shape(x)) + " does not have "
          + values.length + " features along dimension 1, as the transform expects");
    }
    long[] shape = new long[(int) x.dim()];
    Arrays.fill(shape, 1);
    shape[1] = values.length;
    return Torch.tensor(values, shape).to(x.device(), x.scalar_type());
  }
}
