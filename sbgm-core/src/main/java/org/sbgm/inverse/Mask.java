package org.sbgm.inverse;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Inpainting: y = M ⊙ x with a 0/1 mask M shaped like one signal (1 where x is observed). A = diag(M)
 * is its own adjoint; the unobserved entries of y carry no information ({@link #informative} zeroes them).
 */
public final class Mask implements ForwardOperator {
  private final Tensor mask;
  private final long[] shape;
  private final long observed;

  /**
   * The mask {@code mask} (one signal's shape, values 0 or 1).
   *
   * @throws InvalidInputException when a value is neither 0 nor 1, or nothing is observed
   */
  public Mask(Tensor mask) {
    Torch.init();
    double[] v = Torch.toDoubles(mask);
    long ones = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0 && v[i] != 1) {
        throw new InvalidInputException("a mask must hold only 0 (unobserved) and 1 (observed), but entry " + i + " is " + v[i]);
      }
      ones += (long) v[i];
    }
    if (ones == 0) {
      throw new InvalidInputException("the mask observes nothing (every entry is 0)");
    }
    this.shape = Torch.shape(mask);
    this.mask = Torch.retain(Torch.tensor(v, DType.FLOAT64, shape));
    this.observed = ones;
  }

  /** The mask, float64 {@code inputShape}. */
  public Tensor mask() {
    return mask;
  }

  /** How many entries are observed. */
  public long observed() {
    return observed;
  }

  @Override
  public long[] inputShape() {
    return shape.clone();
  }

  @Override
  public long[] outputShape() {
    return shape.clone();
  }

  @Override
  public Tensor apply(Tensor x) {
    return ForwardOperator.checkShape(x, shape, "the signal").mul(on(x));
  }

  @Override
  public Tensor adjoint(Tensor y) {
    return ForwardOperator.checkShape(y, shape, "the observation").mul(on(y));
  }

  @Override
  public Tensor informative(Tensor y) {
    return y.mul(mask.to(y.device(), y.scalar_type()));
  }

  /** The mask in the dtype and on the device of {@code like}, broadcast over the batch. */
  Tensor on(Tensor like) {
    return mask.to(like.device(), like.scalar_type()).unsqueeze(0);
  }

  @Override
  public String describe() {
    return "mask (" + observed + " of " + inputSize() + " observed, shape " + Arrays.toString(shape) + ")";
  }
}
