package org.sbgm.inference;

import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Independent normal components, θ_j ~ N(μ_j, σ_j²): log π(θ) = −½ Σ_j ((θ_j − μ_j)/σ_j)² − Σ_j ln σ_j − (P/2) ln 2π.
 *
 * @param mean μ_j
 * @param sd σ_j, at least {@link Prior#MIN_SCALE}, with μ_j ± 5σ_j within ±{@link Prior#MAX_MAGNITUDE}
 */
public record NormalPrior(double[] mean, double[] sd) implements Prior {
  /** Checks the components. */
  public NormalPrior {
    if (mean == null || sd == null || mean.length == 0 || mean.length != sd.length) {
      throw new InvalidInputException("a normal prior needs as many means as standard deviations (at least one)");
    }
    mean = mean.clone();
    sd = sd.clone();
    for (int j = 0; j < mean.length; j++) {
      if (!(sd[j] > 0) || !Double.isFinite(sd[j]) || !Double.isFinite(mean[j])) {
        throw new InvalidInputException("the normal prior of parameter " + (j + 1) + " needs a finite mean and a positive "
            + "finite standard deviation, got MU = " + mean[j] + ", SD = " + sd[j]);
      }
      if (sd[j] < Prior.MIN_SCALE) {
        throw new InvalidInputException("the normal prior of parameter " + (j + 1) + " needs a standard deviation of at least "
            + Prior.MIN_SCALE + " (below it the density underflows), got SD = " + sd[j]);
      }
      Prior.checkBox("the normal prior's mean ± 5 sd", j + 1, mean[j] - 5 * sd[j], mean[j] + 5 * sd[j]);
    }
  }

  @Override
  public int dimension() {
    return mean.length;
  }

  @Override
  public boolean contains(double[] theta) {
    for (double v : theta) {
      if (!Double.isFinite(v)) {
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
    double s = -0.5 * mean.length * Math.log(2 * Math.PI);
    for (int j = 0; j < mean.length; j++) {
      double z = (theta[j] - mean[j]) / sd[j];
      s -= 0.5 * z * z + Math.log(sd[j]);
    }
    return s;
  }

  @Override
  public double[][] sample(int n, Generator generator) {
    return Prior.affine(Torch.toDoubles(Torch.randn(new long[] {n, mean.length}, generator, Torch.options(DType.FLOAT64))),
        n, mean, sd);
  }

  @Override
  public double[][] box() {
    double[] lo = new double[mean.length];
    double[] hi = new double[mean.length];
    for (int j = 0; j < mean.length; j++) {
      lo[j] = mean[j] - 5 * sd[j];
      hi[j] = mean[j] + 5 * sd[j];
    }
    return new double[][] {lo, hi};
  }

  @Override
  public String describe() {
    return Prior.pairs("normal", mean, sd);
  }
}
