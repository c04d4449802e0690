package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The scaled norms of error control ({@link PidController.Norm}). The default, {@link #rmsMax}: for each
 * sample b of a state [B, ...] the RMS over its entries of x / scale, then the maximum over the batch, so the
 * tolerance holds for every sample; a 0- or 1-dimensional state counts as one sample per leading entry
 * (rank 0: one sample). {@link #rms}: one RMS over every entry, as diffrax's {@code rms_norm} and scipy's
 * {@code solve_ivp} over a flattened batch.
 */
final class ErrorNorm {
  private ErrorNorm() {}

  /** max_b sqrt(mean_i (x_bi / scale_bi)²); NaN when anything is non-finite. */
  static double rmsMax(Tensor x, Tensor scale) {
    Tensor r = x.div(scale);
    long batch = r.dim() == 0 ? 1 : r.size(0);
    Tensor perSample = r.reshape(batch, -1).square().mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt();
    return perSample.max().item_double();
  }

  /** sqrt(mean over every entry of (x / scale)²): one RMS over the whole state, batch included; NaN when anything is non-finite. */
  static double rms(Tensor x, Tensor scale) {
    return x.div(scale).square().mean().sqrt().item_double();
  }

  /** The tolerance scale atol + rtol · |y|. */
  static Tensor scale(Tensor absY, double rtol, double atol) {
    return absY.mul(Torch.scalar(rtol)).add(Torch.scalar(atol));
  }
}
