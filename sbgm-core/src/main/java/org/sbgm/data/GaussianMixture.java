package org.sbgm.data;

import java.util.Arrays;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, Σ_k) on R^D, described by plain arrays so that an
 * oracle (for example the exact diffused score p_t = Σ_k w_k N(m μ_k, m² Σ_k + σ² I)) can be built
 * from it. Arrays are copied on the way in and out.
 *
 * @param weights w_k, positive, summing to 1
 * @param means μ_k, each of length D
 * @param covariances Σ_k, each D×D symmetric positive definite
 */
public record GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {
  /** Validates the description and copies it. */
  public GaussianMixture {
    int k = weights.length;
    if (k == 0 || means.length != k || covariances.length != k) {
      throw new IllegalArgumentException("a mixture needs at least one component and as many means and covariances as weights; got "
          + k + " weights, " + means.length + " means, " + covariances.length + " covariances");
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w > 0)) {
        throw new IllegalArgumentException("mixture weights must be positive, got " + Arrays.toString(weights));
      }
      sum += w;
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("mixture weights must sum to 1, they sum to " + sum);
    }
    int d = means[0].length;
    for (int i = 0; i < k; i++) {
      if (means[i].length != d || covariances[i].length != d) {
        throw new IllegalArgumentException("component " + i + " has dimension " + means[i].length + ", expected " + d);
      }
      Cholesky.factor(covariances[i], "covariance of component " + i);
    }
    weights = weights.clone();
    means = deepCopy(means);
    covariances = Arrays.stream(covariances).map(GaussianMixture::deepCopy).toArray(double[][][]::new);
  }

  /** A mixture of isotropic components N(μ_k, std² I). */
  public static GaussianMixture isotropic(double[] weights, double[][] means, double std) {
    int d = means[0].length;
    double[][][] cov = new double[weights.length][d][d];
    for (double[][] c : cov) {
      for (int i = 0; i < d; i++) {
        c[i][i] = std * std;
      }
    }
    return new GaussianMixture(weights, means, cov);
  }

  /** The number of components K. */
  public int components() {
    return weights.length;
  }

  /** The dimension D. */
  public int dimension() {
    return means[0].length;
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[][] means() {
    return deepCopy(means);
  }

  @Override
  public double[][][] covariances() {
    return Arrays.stream(covariances).map(GaussianMixture::deepCopy).toArray(double[][][]::new);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GaussianMixture m && Arrays.equals(weights, m.weights)
        && Arrays.deepEquals(means, m.means) && Arrays.deepEquals(covariances, m.covariances);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + Arrays.deepHashCode(means);
  }

  @Override
  public String toString() {
    return "GaussianMixture[K=" + components() + ", D=" + dimension() + "]";
  }

  /** log p(x) for one point, in double precision. */
  public double logDensity(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[components()];
    for (int k = 0; k < terms.length; k++) {
      terms[k] = Math.log(weights[k]) + Cholesky.logNormal(x, means[k], Cholesky.factor(covariances[k], "covariance"));
      max = Math.max(max, terms[k]);
    }
    double s = 0;
    for (double t : terms) {
      s += Math.exp(t - max);
    }
    return max + Math.log(s);
  }

  /**
   * log p(x) for a batch {@code x} of shape {@code [B, D]}, in x's dtype and device: a log-sum-exp
   * over k of log w_k - ½|L_k⁻¹(x - μ_k)|² - ½ log det Σ_k - (D/2) log 2π.
   */
  public Tensor logDensity(Tensor x) {
    int d = dimension();
    if (x.dim() != 2 || x.size(1) != d) {
      throw new IllegalArgumentException("points must have shape [B, " + d + "], got " + Arrays.toString(Torch.shape(x)));
    }
    TensorVector terms = new TensorVector();
    for (int k = 0; k < components(); k++) {
      double[][] l = Cholesky.factor(covariances[k], "covariance");
      Tensor linvT = like(flatten(transpose(Cholesky.invertLower(l))), x, d, d);
      Tensor z = x.sub(like(means[k], x, 1, d)).matmul(linvT);
      double c = Math.log(weights[k]) - 0.5 * Cholesky.logDet(l) - 0.5 * d * Math.log(2 * Math.PI);
      terms.push_back(Torch.sumPerSample(z.mul(z)).mul(Torch.scalar(-0.5)).add(Torch.scalar(c)));
    }
    return torch.logsumexp(torch.stack(terms, 1), new long[] {1}, false);
  }

  /** {@code n} samples {@code [n, D]}: a component k ~ w, then μ_k + L_k z with z ~ N(0, I). */
  public Tensor sample(long n, Generator g, DType dtype) {
    int d = dimension();
    int kk = components();
    double[] cdf = new double[kk - 1];
    double acc = 0;
    double[] chol = new double[kk * d * d];
    for (int k = 0; k < kk; k++) {
      if (k < kk - 1) {
        acc += weights[k];
        cdf[k] = acc;
      }
      System.arraycopy(flatten(Cholesky.factor(covariances[k], "covariance")), 0, chol, k * d * d, d * d);
    }
    Tensor u = Torch.rand(new long[] {n, 1}, g, Torch.options(DType.FLOAT64));
    Tensor z = Torch.randn(new long[] {n, d, 1}, g, Torch.options(DType.FLOAT64));
    Tensor k = kk == 1 ? torch.zeros(new long[] {n}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long))
        : u.ge(Torch.tensor(cdf, 1, kk - 1)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional(torch.ScalarType.Long));
    Tensor mu = Torch.tensor(flatten(means), kk, d).index_select(0, k);
    Tensor l = Torch.tensor(chol, kk, d, d).index_select(0, k);
    return mu.add(l.bmm(z).squeeze(2)).to(dtype.scalarType());
  }

  private static Tensor like(double[] values, Tensor x, long... shape) {
    return Torch.tensor(values, shape).to(x.device(), x.scalar_type());
  }

  private static double[] flatten(double[][] m) {
    return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
  }

  private static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  private static double[][] deepCopy(double[][] m) {
    return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
  }
}
