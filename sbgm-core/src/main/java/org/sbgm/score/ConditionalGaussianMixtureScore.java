package org.sbgm.score;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * The exact conditional oracle: data p(x | π) = Σ_k w_k N(x; μ_k + A_k π, Σ_k), a Gaussian mixture whose
 * component means move linearly with the condition π ∈ ℝ^P (A_k is D×P). Under a diffusion SDE with kernel
 * N(m(t) x₀, σ(t)² I) its marginal is exactly p_t(x | π) = Σ_k w_k N(m (μ_k + A_k π), m² Σ_k + σ² I), so
 * log p_t(x | π), the score and the likelihood log p(x | π) of simulation-based inference are closed-form;
 * every posterior over π computed through the probability-flow ODE can be checked against the exact one.
 * The evaluation is that of {@link GaussianMixture} with a per-sample shift of the means, in float64 and
 * differentiable in both x and π (so autograd gives ∂ log p/∂π too). The condition's parameters are
 * required, {@code [B, P]} (one row per sample of x) or {@code [1, P]} (one for all); its image is ignored.
 */
public final class ConditionalGaussianMixtureScore implements DiffusionModel {
  private final GaussianMixture mixture;
  private final double[][][] maps;
  private final int parameters;
  private final Tensor mapTensor;
  private final Sde sde;

  /**
   * @param mixture the mixture at π = 0: weights w_k, means μ_k, covariances Σ_k
   * @param maps A_k for each of the K components, D×P each (P ≥ 1)
   * @param sde the diffusion
   */
  public ConditionalGaussianMixtureScore(GaussianMixture mixture, double[][][] maps, Sde sde) {
    if (mixture == null || maps == null || sde == null) {
      throw new IllegalArgumentException("the conditional mixture oracle needs a mixture, maps and an SDE; one was null");
    }
    int k = mixture.components();
    int d = mixture.dimension();
    if (maps.length != k) {
      throw new InvalidInputException("the conditional mixture needs one map A_k per component (" + k + "), got " + maps.length);
    }
    int p = -1;
    double[] flat = null;
    for (int c = 0; c < k; c++) {
      if (maps[c] == null || maps[c].length != d) {
        throw new InvalidInputException("map A_" + c + " must have " + d + " rows (the dimension), got "
            + (maps[c] == null ? "none" : maps[c].length));
      }
      for (int i = 0; i < d; i++) {
        if (p < 0) {
          p = maps[c][i] == null ? 0 : maps[c][i].length;
          if (p < 1) {
            throw new InvalidInputException("map A_0 must have at least one column (the condition size P)");
          }
          flat = new double[k * d * p];
        }
        if (maps[c][i] == null || maps[c][i].length != p) {
          throw new InvalidInputException("map A_" + c + " row " + i + " must have " + p + " columns like the first, got "
              + (maps[c][i] == null ? "none" : maps[c][i].length));
        }
        for (int j = 0; j < p; j++) {
          if (!Double.isFinite(maps[c][i][j])) {
            throw new InvalidInputException("map A_" + c + " holds a non-finite value " + maps[c][i][j] + " at (" + i + ", " + j + ")");
          }
          flat[(c * d + i) * p + j] = maps[c][i][j];
        }
      }
    }
    this.mixture = mixture;
    this.parameters = p;
    this.maps = new double[k][][];
    for (int c = 0; c < k; c++) {
      this.maps[c] = MixtureChecks.copy(maps[c]);
    }
    try (PointerScope scope = new PointerScope()) {
      this.mapTensor = Torch.retain(Torch.tensor(flat, k, d, p));
    }
    this.sde = sde;
  }

  /** The mixture at π = 0. */
  public GaussianMixture mixture() {
    return mixture;
  }

  /** P, the size of π. */
  public int conditionDim() {
    return parameters;
  }

  /** A copy of A_k. */
  public double[][] map(int k) {
    return MixtureChecks.copy(maps[k]);
  }

  @Override
  public Sde sde() {
    return sde;
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Tensor x64 = mixture.flat(x);
    Tensor t64 = GaussianMixture.perSample(t, x64, "t");
    Tensor g = mixture.evaluate(x64, sde.meanCoefficient(t64), sde.marginalStd(t64), true,
        shift(parameters(condition), x64))[1];
    return g.reshape(Torch.shape(x)).to(x.scalar_type());
  }

  /** log p_t(x | π) per sample, {@code [B]} in the dtype of x; t and π per sample (or one for all). */
  public Tensor logDensity(Tensor x, Tensor t, Tensor parameters) {
    Tensor x64 = mixture.flat(x);
    Tensor t64 = GaussianMixture.perSample(t, x64, "t");
    return mixture.evaluate(x64, sde.meanCoefficient(t64), sde.marginalStd(t64), false, shift(parameters, x64))[0]
        .to(x.scalar_type());
  }

  /** log p_t(x | π) at one time t. */
  public Tensor logDensity(Tensor x, double t, Tensor parameters) {
    if (!Double.isFinite(t)) {
      throw new InvalidInputException("the time t must be finite, got " + t);
    }
    return logDensity(x, Torch.full(new long[] {1}, t, Torch.options(org.sbgm.torch.DType.FLOAT64)), parameters);
  }

  /** The data log-density log p(x | π) (at t = 0: the mixture itself). */
  public Tensor logDensity(Tensor x, Tensor parameters) {
    Tensor x64 = mixture.flat(x);
    Tensor ones = Torch.full(new long[] {x64.size(0)}, 1, x64);
    return mixture.evaluate(x64, ones, ones.mul(Torch.scalar(0)), false, shift(parameters, x64))[0].to(x.scalar_type());
  }

  /** One exact draw x ~ p(x | π) per row of {@code parameters} {@code [n, P]}, moved to {@code options} (null: float32). */
  public Tensor sample(Tensor parameters, Generator generator, TensorOptions options) {
    Tensor pi = checkParameters(parameters, -1);
    Tensor[] drawn = mixture.sampleWithComponents(pi.size(0), generator);
    // A_k π for each draw's own component k: [n, D, P] x [n, P, 1]
    Tensor shift = mapTensor.index_select(0, drawn[1]).matmul(pi.unsqueeze(2)).squeeze(2);
    return GaussianMixture.to(drawn[0].add(shift), options);
  }

  private static Tensor parameters(Condition c) {
    return c == null ? null : c.parameters();
  }

  /** π checked as {@code [B, P]} or {@code [1, P]} float64 on the CPU (rows = -1: any number). */
  private Tensor checkParameters(Tensor pi, long rows) {
    if (pi == null) {
      throw new InvalidInputException("the conditional mixture oracle needs the condition's parameters π of size " + parameters
          + ", but none were given");
    }
    if (pi.dim() != 2 || pi.size(1) != parameters || (rows >= 0 && pi.size(0) != rows && pi.size(0) != 1)) {
      throw new InvalidInputException("the conditional mixture oracle expects parameters of shape [" + (rows < 0 ? "N" : rows)
          + ", " + parameters + "] (or one row for all), got " + Arrays.toString(Torch.shape(pi)));
    }
    return pi.to(torch.ScalarType.Double);
  }

  /** δ_kb = A_k π_b as {@code [K, B, D]}. */
  private Tensor shift(Tensor parameters, Tensor x64) {
    long b = x64.size(0);
    Tensor pi = checkParameters(parameters, b).to(x64.device(), torch.ScalarType.Double);
    Tensor maps = mapTensor.to(x64.device(), torch.ScalarType.Double);
    Tensor s = maps.matmul(pi.t().unsqueeze(0)).transpose(1, 2); // [K, D, P] x [1, P, B'] -> [K, B', D]
    return s.size(1) == b ? s : s.expand(maps.size(0), b, x64.size(1));
  }

  @Override
  public String toString() {
    return "ConditionalGaussianMixtureScore(" + mixture + ", P=" + parameters + ", " + sde + ")";
  }
}
