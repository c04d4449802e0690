package org.sbgm.data;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Bits per dimension of a model's log-likelihood.
 *
 * <p>A model of transformed data y = T(x) reports log p_y(y) in nats. By the change of variables
 * log p_x(x) = log p_y(y) + log |det ∂T/∂x|, so the general form is
 * <pre>  bits/dim = -(log p_y(y) + log |det ∂T/∂x|) / (D ln 2).</pre>
 * For 8-bit images scaled by {@link UniformDequantize}, y = (x + u)/128 - 1, the Jacobian is
 * (1/128)^D, so log |det| = -D ln 128 and
 * <pre>  bits/dim = -log p_y(y) / (D ln 2) + log₂ 128 = -log p_y(y) / (D ln 2) + 7.</pre>
 * (Example: y uniform on [-1, 1]^D has log p_y = -D ln 2, giving 1 + 7 = 8 bits/dim, the cost of
 * storing uniformly random bytes.)
 */
public final class BitsPerDim {
  /** log₂ 128: the bits per dimension added by scaling 256 levels to [-1, 1]. */
  public static final double IMAGE_SCALING_OFFSET = 7.0;

  private BitsPerDim() {}

  /** Bits/dim of 8-bit data from log p_y [B] (nats) of its [-1, 1]-scaled dequantised version. */
  public static Tensor of(Tensor logLikelihoodNats, long dims) {
    return fromNats(logLikelihoodNats, dims).add(Torch.scalar(IMAGE_SCALING_OFFSET));
  }

  /** Bits/dim of 8-bit data from one log p_y value (nats) of its scaled version. */
  public static double of(double logLikelihoodNats, long dims) {
    checkDims(dims);
    return -logLikelihoodNats / (dims * Math.log(2)) + IMAGE_SCALING_OFFSET;
  }

  /** The general form: -(log p_y + log |det ∂T/∂x|) / (D ln 2), all [B]. */
  public static Tensor withJacobian(Tensor logLikelihoodNats, Tensor logAbsDetJacobian, long dims) {
    return fromNats(logLikelihoodNats.add(logAbsDetJacobian), dims);
  }

  /** The general form for data {@code x [B, ...]} modelled after {@code transform}: D is x's per-sample size. */
  public static Tensor withTransform(Tensor logLikelihoodNats, Transform transform, Tensor x) {
    return withJacobian(logLikelihoodNats, transform.logAbsDetJacobian(x), Torch.perSampleSize(x));
  }

  /** -log p / (D ln 2) with no transform: the bits/dim of the modelled variable itself. */
  public static Tensor fromNats(Tensor logLikelihoodNats, long dims) {
    checkDims(dims);
    return logLikelihoodNats.mul(Torch.scalar(-1.0 / (dims * Math.log(2))));
  }

  private static void checkDims(long dims) {
    if (dims < 1) {
      throw new InvalidInputException("the number of dimensions D must be at least 1, got " + dims);
    }
  }
}
