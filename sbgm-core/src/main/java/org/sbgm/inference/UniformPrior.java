package org.sbgm.inference;

import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Independent uniform components, θ_j ~ U[lo_j, hi_j]: log π(θ) = −Σ_j ln(hi_j − lo_j) inside the box,
 * −∞ outside.
 *
 * @param lower lo_j
 * @param upper hi_j, each above lo_j by at least {@link Prior#MIN_SCALE}, both within ±{@link Prior#MAX_MAGNITUDE}
 */
public record UniformPrior(double[] lower, double[] upper) implements Prior {
  /** Checks the box. */
  public UniformPrior {
    if (lower == null || upper == null || lower.length == 0 || lower.length != upper.length) {
      throw new InvalidInputException("a uniform prior needs as many lower as upper ends (at least one)");
    }
    lower = lower.clone();
    upper = upper.clone();
    for (int j = 0; j < lower.length; j++) {
      if (!(upper[j] > lower[j]) || !Double.isFinite(lower[j]) || !Double.isFinite(upper[j])) {
        throw new InvalidInputException("the uniform range of parameter " + (j + 1) + " must be finite with LO < HI, got ["
            + lower[j] + ", " + upper[j] + "]");
      }
      Prior.checkBox("the uniform range", j + 1, lower[j], upper[j]);
    }
  }

  @Override
  public int dimension() {
    return lower.length;
  }

  @Override
  public boolean contains(double[] theta) {
    for (int j = 0; j < lower.length; j++) {
      if (!(theta[j] >= lower[j] && theta[j] <= upper[j])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public double logDensity(double[] theta) {
    if (!contains(theta)) {
      return Double.NEGATIVE_INFINITY;
    }
    double s = 0;
    for (int j = 0; j < lower.length; j++) {
      s -= Math.log(upper[j] - lower[j]);
    }
    return s;
  }

  @Override
  public double[][] sample(int n, Generator generator) {
    double[] width = new double[lower.length];
    for (int j = 0; j < width.length; j++) {
      width[j] = upper[j] - lower[j];
    }
    return Prior.affine(Torch.toDoubles(Torch.rand(new long[] {n, lower.length}, generator, Torch.options(DType.FLOAT64))),
        n, lower, width);
  }

  @Override
  public double[][] box() {
    return new double[][] {lower.clone(), upper.clone()};
  }

  @Override
  public String describe() {
    return Prior.pairs("uniform", lower, upper);
  }
}
