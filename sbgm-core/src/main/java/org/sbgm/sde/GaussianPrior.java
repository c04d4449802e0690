package org.sbgm.sde;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The isotropic Gaussian prior N(0, s² I) shared by every SDE here. */
final class GaussianPrior {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private GaussianPrior() {}

  /**
   * {@code n} draws of N(0, s² I), shaped {@code [n, shape...]}. A {@code null} options means float32 on
   * the CPU; noise is drawn on the CPU from {@code generator} and then moved, so runs replay on any device.
   */
  static Tensor sample(double std, long n, long[] shape, Generator generator, TensorOptions options) {
    if (n < 1) {
      throw new org.sbgm.InvalidInputException("the number of prior samples must be at least 1, got " + n);
    }
    if (shape == null) {
      throw new IllegalArgumentException("the per-sample shape must be given (use new long[] {D}), got null");
    }
    if (generator == null) {
      throw new IllegalArgumentException("prior sampling needs a Generator (Torch.generator(seed)), got null");
    }
    long[] full = new long[shape.length + 1];
    full[0] = n;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 1) {
        throw new org.sbgm.InvalidInputException("every per-sample dimension must be at least 1, got "
            + java.util.Arrays.toString(shape));
      }
      full[i + 1] = shape[i];
    }
    TensorOptions target = options == null ? Torch.options(DType.FLOAT32) : options;
    torch.ScalarType dtype = target.has_dtype() ? target.dtype().toScalarType().intern() : torch.ScalarType.Float;
    Tensor z = Torch.randn(full, generator, Torch.options(dtype == torch.ScalarType.Double ? DType.FLOAT64 : DType.FLOAT32));
    Tensor scaled = std == 1 ? z : z.mul(Torch.scalar(std));
    org.bytedeco.pytorch.Device device =
        target.has_device() ? target.device() : new org.bytedeco.pytorch.Device(torch.DeviceType.CPU);
    return scaled.to(device, dtype);
  }

  /** log N(z; 0, s² I) per sample, {@code [B]}: -|z|²/(2s²) - (D/2) ln(2π s²), computed in float64. */
  static Tensor logDensity(double std, Tensor z) {
    if (z == null || z.dim() < 1) {
      throw new org.sbgm.InvalidInputException("the prior log-density needs z shaped [B, ...], got "
          + (z == null ? "null" : "a 0-d tensor"));
    }
    Tensor z64 = z.to(torch.ScalarType.Double);
    double d = Torch.perSampleSize(z);
    Tensor quad = Torch.sumPerSample(z64.square());
    Tensor out = quad.mul(Torch.scalar(-0.5 / (std * std))).sub(Torch.scalar(0.5 * d * (LOG_2PI + 2 * Math.log(std))));
    return out.to(z.scalar_type());
  }
}
