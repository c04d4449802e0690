package org.sbgm.nn;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The fixed 2-D sin-cos positional embedding of MAE and DiT. For a grid of h × w tokens (token n = i w + j)
 * and width D (a multiple of 4), with q = D/4 and ω_k = 10000^{-k/q}: the first D/2 features are
 * [sin(j ω), cos(j ω)] (the column) and the last D/2 are [sin(i ω), cos(i ω)] (the row).
 */
final class PositionalEmbedding {
  private PositionalEmbedding() {}

  /** The embedding as a float32 tensor {@code [1, h w, D]}. */
  static Tensor sinCos2d(int dim, int h, int w) {
    int q = dim / 4;
    double[] out = new double[h * w * dim];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        int base = (i * w + j) * dim;
        for (int k = 0; k < q; k++) {
          double omega = Math.pow(10000.0, -(double) k / q);
          out[base + k] = Math.sin(j * omega);
          out[base + q + k] = Math.cos(j * omega);
          out[base + 2 * q + k] = Math.sin(i * omega);
          out[base + 3 * q + k] = Math.cos(i * omega);
        }
      }
    }
    return Torch.tensor(out, DType.FLOAT32, 1, (long) h * w, dim);
  }
}
