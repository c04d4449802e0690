package org.sbgm.inverse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The exact posterior of a Gaussian-mixture prior p(x) = Σ_k w_k N(μ_k, Σ_k) under a linear Gaussian
 * observation y = A x + σ_y n: again a Gaussian mixture,
 * <pre>
 *   p(x | y) = Σ_k w'_k N(μ'_k, Σ'_k),   w'_k ∝ w_k N(y; A μ_k, S_k),   S_k = A Σ_k Aᵀ + σ_y² I,
 *   μ'_k = μ_k + K_k (y − A μ_k),   Σ'_k = Σ_k − K_k A Σ_k,   K_k = Σ_k Aᵀ S_k⁻¹
 * </pre>
 * (Bishop, <i>Pattern Recognition and Machine Learning</i>, 2006, eqs. 2.113–2.117, per component).
 * The oracle every posterior sampler is measured against. Rows of A that are identically zero (a
 * mask's unobserved entries) carry no information and are dropped. Computed in float64 with one
 * Cholesky factorisation of S_k per component; components whose posterior weight falls below 1e-15
 * are dropped (they cannot be told from zero by any sample).
 */
public final class GaussianMixturePosterior {
  private final GaussianMixture posterior;

  private GaussianMixturePosterior(GaussianMixture posterior) {
    this.posterior = posterior;
  }

  /**
   * The posterior of {@code prior} given {@code observation}.
   *
   * @throws InvalidInputException when the prior's dimension differs from the operator's signal size, or
   *     σ_y = 0 (the posterior would be degenerate: give a small positive σ_y)
   */
  public static GaussianMixturePosterior of(GaussianMixture prior, Observation observation) {
    Objects.requireNonNull(prior, "prior");
    ForwardOperator a = observation.operator();
    if (a.inputSize() != prior.dimension()) {
      throw new InvalidInputException("the operator (" + a.describe() + ") acts on signals of " + a.inputSize()
          + " values, but the prior has dimension " + prior.dimension());
    }
    if (!(observation.noiseStd() > 0)) {
      throw new InvalidInputException("the exact posterior needs sigma_y > 0 (with sigma_y = 0 it is degenerate on the "
          + "observed subspace); give a small positive noise level");
    }
    int k = prior.components();
    int d = prior.dimension();
    double[] logWeights = new double[k];
    double[][] means = new double[k][];
    double[][][] covariances = new double[k][][];
    try (PointerScope scope = new PointerScope()) {
      Tensor matrix = a.matrix();
      Tensor y = observation.y().reshape(-1);
      Tensor keep = torch.nonzero(matrix.abs().amax(new long[] {1}, false).gt(Torch.scalar(0))).reshape(-1);
      matrix = matrix.index_select(0, keep);
      y = y.index_select(0, keep);
      long dy = matrix.size(0);
      Tensor noise = torch.eye(dy, Torch.options(DType.FLOAT64)).mul(Torch.scalar(observation.noiseStd() * observation.noiseStd()));
      for (int c = 0; c < k; c++) {
        Tensor mu = Torch.tensor(prior.mean(c), DType.FLOAT64, d);
        Tensor sigma = Torch.tensor(flat(prior.covariance(c)), DType.FLOAT64, d, d);
        Tensor aSigma = matrix.matmul(sigma);
        Tensor s = aSigma.matmul(matrix.t()).add(noise);
        s = s.add(s.t()).mul(Torch.scalar(0.5));
        Tensor chol = torch.linalg_cholesky(s);
        Tensor residual = y.sub(matrix.matmul(mu));
        Tensor solved = torch.cholesky_solve(residual.unsqueeze(1), chol).squeeze(1);
        Tensor gain = torch.cholesky_solve(aSigma, chol); // S⁻¹ A Σ
        Tensor mean = mu.add(aSigma.t().matmul(solved));
        Tensor cov = sigma.sub(aSigma.t().matmul(gain));
        cov = cov.add(cov.t()).mul(Torch.scalar(0.5));
        double quad = residual.dot(solved).item_double();
        double logDet = 2 * torch.log(torch.diagonal(chol, 0, 0, 1)).sum().item_double();
        logWeights[c] = Math.log(prior.weights()[c]) - 0.5 * quad - 0.5 * logDet - 0.5 * dy * Math.log(2 * Math.PI);
        means[c] = Torch.toDoubles(mean);
        covariances[c] = square(Torch.toDoubles(cov), d);
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logWeights) {
      max = Math.max(max, v);
    }
    double total = 0;
    for (double v : logWeights) {
      total += Math.exp(v - max);
    }
    List<Integer> kept = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (Math.exp(logWeights[c] - max) / total >= 1e-15) {
        kept.add(c);
      }
    }
    double[] w = new double[kept.size()];
    double[][] m = new double[kept.size()][];
    double[][][] cv = new double[kept.size()][][];
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      int c = kept.get(i);
      w[i] = Math.exp(logWeights[c] - max);
      sum += w[i];
      m[i] = means[c];
      cv[i] = covariances[c];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= sum;
    }
    return new GaussianMixturePosterior(new GaussianMixture(w, m, cv));
  }

  private static double[] flat(double[][] m) {
    int d = m.length;
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(m[i], 0, out, i * d, d);
    }
    return out;
  }

  private static double[][] square(double[] flat, int d) {
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** The posterior as a mixture. */
  public GaussianMixture mixture() {
    return posterior;
  }

  /** The posterior mean Σ_k w'_k μ'_k. */
  public double[] mean() {
    return posterior.mean();
  }

  /** The posterior covariance Σ_k w'_k (Σ'_k + μ'_k μ'_kᵀ) − μ' μ'ᵀ. */
  public double[][] covariance() {
    return posterior.covariance();
  }

  /** {@code n} exact posterior draws {@code [n, D]} (see {@link GaussianMixture#sample}). */
  public Tensor sample(long n, Generator generator, TensorOptions options) {
    return posterior.sample(n, generator, options);
  }

  /** The posterior weights w'_k of the components kept. */
  public double[] weights() {
    return posterior.weights();
  }
}
