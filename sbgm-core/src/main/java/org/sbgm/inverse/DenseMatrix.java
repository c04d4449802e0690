package org.sbgm.inverse;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A dense matrix A ({@code [D_y, D_x]}) on the flattened signal: y = A vec(x), Aᵀ y reshaped to the
 * signal's shape; observations are vectors [D_y].
 */
public final class DenseMatrix implements ForwardOperator {
  private final Tensor matrix;
  private final long[] in;

  /**
   * The matrix {@code a} ({@code [D_y, D_x]}, finite) for signals shaped {@code inputShape} (D_x values).
   *
   * @throws InvalidInputException when a is not a finite matrix with D_x columns
   */
  public DenseMatrix(Tensor a, long[] inputShape) {
    Torch.init();
    long dx = Torch.perSampleSizeOf(ForwardOperator.prepend(inputShape));
    if (a.dim() != 2 || a.size(1) != dx || a.size(0) < 1) {
      throw new InvalidInputException("the operator matrix has shape " + Arrays.toString(Torch.shape(a)) + ", but signals of shape "
          + Arrays.toString(inputShape) + " need a matrix [D_y, " + dx + "]");
    }
    double[] v = Torch.toDoubles(a);
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new InvalidInputException("the operator matrix holds a non-finite value (" + v[i] + ") at flat index " + i);
      }
    }
    this.matrix = Torch.retain(Torch.tensor(v, DType.FLOAT64, a.size(0), dx));
    this.in = inputShape.clone();
  }

  @Override
  public long[] inputShape() {
    return in.clone();
  }

  @Override
  public long[] outputShape() {
    return new long[] {matrix.size(0)};
  }

  @Override
  public Tensor apply(Tensor x) {
    ForwardOperator.checkShape(x, in, "the signal");
    return x.reshape(x.size(0), -1).matmul(matrix.to(x.device(), x.scalar_type()).t());
  }

  @Override
  public Tensor adjoint(Tensor y) {
    ForwardOperator.checkShape(y, outputShape(), "the observation");
    long[] shape = ForwardOperator.prepend(in);
    shape[0] = y.size(0);
    return y.matmul(matrix.to(y.device(), y.scalar_type())).reshape(shape);
  }

  @Override
  public Tensor matrix() {
    return matrix.clone();
  }

  @Override
  public String describe() {
    return "dense matrix [" + matrix.size(0) + ", " + matrix.size(1) + "]";
  }
}
