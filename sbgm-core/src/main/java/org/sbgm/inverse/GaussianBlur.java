package org.sbgm.inverse;

import java.util.Arrays;
import org.sbgm.InvalidInputException;

/**
 * Deblurring: y = k_σ * x, the convolution with a normalised Gaussian kernel of standard deviation σ
 * pixels, truncated at radius ⌈3σ⌉, with zero padding and the output the size of the input. It acts
 * along the last axis of a vector and along both axes of an image (separably, each channel alike):
 * k(i) ∝ exp(−i²/(2σ²)), Σ k = 1. The kernel is symmetric, so with zero padding A is symmetric too
 * (Aᵀ = A, a Toeplitz matrix per axis).
 */
public final class GaussianBlur extends SeparableOperator {
  private final double sigma;

  /**
   * The blur of width {@code sigma} for signals shaped {@code shape} ([D], [H, W] or [C, H, W]).
   *
   * @throws InvalidInputException when sigma is not positive and finite
   */
  public GaussianBlur(long[] shape, double sigma) {
    super(shape, shape.length >= 2 ? toeplitz(shape[shape.length - 2], check(sigma)) : null,
        toeplitz(shape[shape.length - 1], check(sigma)));
    this.sigma = sigma;
  }

  private static double check(double sigma) {
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new InvalidInputException("the blur's standard deviation must be a positive number of pixels, got " + sigma);
    }
    return sigma;
  }

  /** The n × n matrix of the zero-padded 'same' convolution with the kernel. */
  static double[][] toeplitz(long n, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + radius];
    }
    double[][] m = new double[(int) n][(int) n];
    for (int i = 0; i < n; i++) {
      for (int j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius); j++) {
        m[i][j] = k[j - i + radius] / sum;
      }
    }
    return m;
  }

  /** σ in pixels. */
  public double sigma() {
    return sigma;
  }

  @Override
  public String describe() {
    return "Gaussian blur (sigma " + sigma + " px, shape " + Arrays.toString(inputShape()) + ")";
  }
}
