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
 * @param upper hi_j, each above lo_j
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
    double[] u = Torch.toDoubles(Torch.rand(new long[] {n, lower.length}, generator, Torch.options(DType.FLOAT64)));
    double[][] out = new double[n][lower.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < lower.length; j++) {
        out[i][j] = lower[j] + (upper[j] - lower[j]) * u[i * lower.length + j];
      }
    }
    return out;
  }

  @Override
  public double[][] box() {
    return new double[][] {lower.clone(), upper.clone()};
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("uniform:");
    for (int j = 0; j < lower.length; j++) {
      sb.append(j == 0 ? "" : ",").append(lower[j]).append(',').append(upper[j]);
    }
    return sb.toString();
  }
}
