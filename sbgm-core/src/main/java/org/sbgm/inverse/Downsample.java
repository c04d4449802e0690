package org.sbgm.inverse;

import java.util.Arrays;
import org.sbgm.InvalidInputException;

/**
 * Super-resolution: y = the average of each k × k block of an image (each channel alike), or of each
 * run of k values of a vector. Per axis the matrix P (n/k × n) has entries 1/k on its blocks, so
 * y = P_H x P_Wᵀ and Aᵀ y = P_Hᵀ y P_W spreads each value, divided by k², over its block.
 */
public final class Downsample extends SeparableOperator {
  private final int factor;

  /**
   * Average-pooling by {@code factor} for signals shaped {@code shape} ([D], [H, W] or [C, H, W]).
   *
   * @throws InvalidInputException when the factor is below 1 or does not divide the pooled sizes
   */
  public Downsample(long[] shape, int factor) {
    super(shape, shape.length >= 2 ? pool(shape, shape.length - 2, factor) : null, pool(shape, shape.length - 1, factor));
    this.factor = factor;
  }

  static double[][] pool(long[] shape, int axis, int k) {
    if (k < 1) {
      throw new InvalidInputException("the downsampling factor must be at least 1, got " + k);
    }
    long n = shape[axis];
    if (n % k != 0) {
      throw new InvalidInputException("the downsampling factor " + k + " does not divide the size " + n + " of the signal "
          + Arrays.toString(shape));
    }
    double[][] m = new double[(int) (n / k)][(int) n];
    for (int i = 0; i < n / k; i++) {
      for (int j = 0; j < k; j++) {
        m[i][i * k + j] = 1.0 / k;
      }
    }
    return m;
  }

  /** k. */
  public int factor() {
    return factor;
  }

  @Override
  public String describe() {
    return "average-pool downsampling by " + factor + " (shape " + Arrays.toString(inputShape()) + " -> "
        + Arrays.toString(outputShape()) + ")";
  }
}
