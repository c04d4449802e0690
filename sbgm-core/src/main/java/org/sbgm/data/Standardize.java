package org.sbgm.data;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Per-feature standardisation y = (x - μ_c) / s_c (feature c is dimension 1, as in {@link Affine}),
 * with log |det| = -Σ_c n_c log s_c per sample. {@link #fit} takes μ_c and s_c (population standard
 * deviation) from a data set.
 */
public final class Standardize implements Transform {
  private final double[] mean;
  private final double[] std;
  private final Affine affine;

  /** Standardises with the given per-feature means and standard deviations (positive). */
  public Standardize(double[] mean, double[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new InvalidInputException("mean and std must be non-empty and of equal length, got " + mean.length + " and " + std.length);
    }
    double[] a = new double[std.length];
    double[] b = new double[std.length];
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
        throw new InvalidInputException("feature " + c + " has mean " + mean[c] + " and std " + std[c]
            + "; expected a finite mean and a finite positive std (a constant feature cannot be standardised)");
      }
      a[c] = 1 / std[c];
      b[c] = -mean[c] / std[c];
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.affine = new Affine(a, b);
  }

  /** Fits μ_c and s_c over every dimension of {@code data [N, C, ...]} but dimension 1. */
  public static Standardize fit(Tensor data) {
    Datasets.requireFinite(data, "data to standardise");
    if (data.dim() < 2) {
      throw new InvalidInputException("data to standardise must be [N, C, ...], got rank " + data.dim());
    }
    Tensor perFeature = data.transpose(0, 1).reshape(data.size(1), -1).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
    double[] mean = Torch.toDoubles(perFeature.mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
    double[] std = Torch.toDoubles(perFeature.std(new long[] {1}, false, false));
    return new Standardize(mean, std);
  }

  /** μ_c (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** s_c (a copy). */
  public double[] std() {
    return std.clone();
  }

  @Override
  public Tensor forward(Tensor x) {
    return affine.forward(x);
  }

  @Override
  public Tensor inverse(Tensor y) {
    return affine.inverse(y);
  }

  @Override
  public Tensor logAbsDetJacobian(Tensor x) {
    return affine.logAbsDetJacobian(x);
  }
}
