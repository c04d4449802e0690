package org.sbgm.inverse;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A linear forward operator A of an inverse problem y = A x + σ_y n: it maps a batch of signals
 * {@code [B, inputShape...]} to observations {@code [B, outputShape...]}, and its adjoint Aᵀ maps back,
 * so that ⟨A x, y⟩ = ⟨x, Aᵀ y⟩. Implementations: {@link Mask} (inpainting), {@link GaussianBlur}
 * (deblurring), {@link Downsample} (super-resolution), {@link DenseMatrix} (a matrix on the flattened
 * signal) and {@link ScaledInput} (A after a per-feature scale, the change to a model's units). Both
 * maps check the shapes they are given and compute in the dtype and on the device of their argument.
 */
public interface ForwardOperator {
  /** The shape of one signal x (without the batch dimension). */
  long[] inputShape();

  /** The shape of one observation y (without the batch dimension). */
  long[] outputShape();

  /** A x for x {@code [B, inputShape...]}: {@code [B, outputShape...]}. */
  Tensor apply(Tensor x);

  /** Aᵀ y for y {@code [B, outputShape...]}: {@code [B, inputShape...]}. */
  Tensor adjoint(Tensor y);

  /**
   * The observation with every component that no signal can change set to zero (a mask's unobserved
   * entries); such components carry no information, and zeroing them keeps the guidance of posterior
   * samplers well defined when σ_y = 0. The default returns {@code y}.
   */
  default Tensor informative(Tensor y) {
    return y;
  }

  /** A short description, e.g. "mask (52 of 64 observed)". */
  String describe();

  /** A as a dense float64 matrix {@code [D_y, D_x]} on the CPU (the operator applied to the identity). */
  default Tensor matrix() {
    long dx = Torch.perSampleSizeOf(prepend(inputShape()));
    long[] batch = prepend(inputShape());
    batch[0] = dx;
    Tensor a;
    try (PointerScope scope = new PointerScope()) {
      Tensor eye = torch.eye(dx, Torch.options(DType.FLOAT64)).reshape(batch);
      a = Torch.retain(apply(eye).reshape(dx, -1).t().contiguous());
    }
    return Torch.handToScope(a);
  }

  /** The number of values of one signal. */
  default long inputSize() {
    return Torch.perSampleSizeOf(prepend(inputShape()));
  }

  /** The number of values of one observation. */
  default long outputSize() {
    return Torch.perSampleSizeOf(prepend(outputShape()));
  }

  /** {@code x} checked to be {@code [B, shape...]} (B ≥ 1). */
  static Tensor checkShape(Tensor x, long[] shape, String what) {
    long[] got = Torch.shape(x);
    if (got.length != shape.length + 1 || got[0] < 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), shape)) {
      throw new InvalidInputException(what + " has shape " + Arrays.toString(got) + ", but the operator expects [B, "
          + Arrays.toString(shape).replaceAll("[\\[\\]]", "") + "]");
    }
    return x;
  }

  /** {@code shape} with a leading 1. */
  static long[] prepend(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = 1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}
