package org.sbgm.inverse;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * What {@link GaussianBlur} and {@link Downsample} share: a linear map that acts on the last axis of a
 * vector [D] or on the last two axes of an image [H, W] or [C, H, W] (each channel alike) by matrices,
 * y = R x Cᵀ (rows R: H' × H, columns C: W' × W; for vectors y = C x), so that Aᵀ y = Rᵀ y C.
 */
abstract class SeparableOperator implements ForwardOperator {
  private final long[] in;
  private final long[] out;
  private final Tensor rows;
  private final Tensor columns;

  /** The map of {@code rows} (null for vectors) and {@code columns}, float64 row-major matrices, for signals shaped {@code in}. */
  SeparableOperator(long[] in, double[][] rows, double[][] columns) {
    Torch.init();
    if (in.length < 1 || in.length > 3) {
      throw new InvalidInputException("this operator acts on vectors [D] or images [H, W] or [C, H, W], not on shape "
          + java.util.Arrays.toString(in));
    }
    this.in = in.clone();
    this.out = in.clone();
    out[in.length - 1] = columns.length;
    if (in.length >= 2) {
      out[in.length - 2] = rows.length;
    }
    this.rows = in.length >= 2 ? Torch.retain(matrix(rows)) : null;
    this.columns = Torch.retain(matrix(columns));
  }

  private static Tensor matrix(double[][] m) {
    int r = m.length;
    int c = m[0].length;
    double[] flat = new double[r * c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(m[i], 0, flat, i * c, c);
    }
    return Torch.tensor(flat, DType.FLOAT64, r, c);
  }

  @Override
  public long[] inputShape() {
    return in.clone();
  }

  @Override
  public long[] outputShape() {
    return out.clone();
  }

  @Override
  public Tensor apply(Tensor x) {
    ForwardOperator.checkShape(x, in, "the signal");
    Tensor c = columns.to(x.device(), x.scalar_type());
    Tensor y = x.matmul(c.t());
    return rows == null ? y : rows.to(x.device(), x.scalar_type()).matmul(y);
  }

  @Override
  public Tensor adjoint(Tensor y) {
    ForwardOperator.checkShape(y, out, "the observation");
    Tensor c = columns.to(y.device(), y.scalar_type());
    Tensor x = y.matmul(c);
    return rows == null ? x : rows.to(y.device(), y.scalar_type()).t().matmul(x);
  }
}
