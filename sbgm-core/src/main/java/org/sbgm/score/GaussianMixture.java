package org.sbgm.score;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A validated Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, Σ_k) on R^D, with exact log-densities, scores
 * and samples, also of its diffused versions p_{a,s} = Σ_k w_k N(a μ_k, a² Σ_k + s² I) (the marginal
 * at time t of a diffusion SDE with mean coefficient a = m(t) and kernel std s = σ(t)).
 *
 * <p>Each Σ_k = U_k Λ_k U_kᵀ is diagonalised once (float64 {@code linalg_eigh}); then
 * a²Σ_k + s²I = U_k (a²Λ_k + s²I) U_kᵀ for every a, s, so a time per sample costs no factorisation:
 * with z = U_kᵀ(x - aμ_k) and v = a²λ + s², log N_k = -½ Σ z²/v - ½ Σ ln v - (D/2) ln 2π,
 * log p = logsumexp_k(ln w_k + log N_k), and ∇ log p = -Σ_k r_k U_k (z/v) with responsibilities
 * r = softmax_k(ln w_k + log N_k). Everything is computed in float64 on the device of x and returned
 * in the dtype of x (differentiable in x).
 */
public final class GaussianMixture {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final int components;
  private final int dimension;
  private final double[] weights;
  private final double[][] means;
  private final double[][][] covariances;
  private final double[][] spectra;
  private final Map<String, Constants> onDevice = new ConcurrentHashMap<>();

  /** Per-device float64 constants: ln w [K], μ [K,D], U [K,D,D], Uᵀ [K,D,D], Λ [K,D], U√Λ [K,D,D], w [K]. */
  private record Constants(Tensor logWeights, Tensor means, Tensor basis, Tensor basisT, Tensor spectrum,
      Tensor root, Tensor weights) {}

  /**
   * @param weights K positive weights summing to 1 (within 1e-9)
   * @param means K means of dimension D
   * @param covariances K symmetric positive-definite D×D covariances
   * @throws org.sbgm.InvalidInputException naming the first bad value
   */
  public GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {
    Torch.init();
    this.components = MixtureChecks.weights(weights);
    this.dimension = MixtureChecks.means(means, components);
    this.weights = weights.clone();
    this.means = MixtureChecks.copy(means);
    this.covariances = MixtureChecks.covariances(covariances, components, dimension);
    double[] flat = new double[components * dimension * dimension];
    for (int k = 0; k < components; k++) {
      for (int i = 0; i < dimension; i++) {
        System.arraycopy(this.covariances[k][i], 0, flat, (k * dimension + i) * dimension, dimension);
      }
    }
    this.spectra = new double[components][dimension];
    try (PointerScope scope = new PointerScope()) {
      onDevice.put("cpu", factorise(flat, weights));
    }
  }

  /** A mixture whose components all have the covariance std² I. */
  public static GaussianMixture isotropic(double[] weights, double[][] means, double std) {
    if (!(std > 0) || !Double.isFinite(std)) {
      throw new org.sbgm.InvalidInputException("the component std must be a finite number > 0, got " + std);
    }
    double[][][] cov = new double[means.length][][];
    for (int k = 0; k < means.length; k++) {
      int d = means[k].length;
      cov[k] = new double[d][d];
      for (int i = 0; i < d; i++) {
        cov[k][i][i] = std * std;
      }
    }
    return new GaussianMixture(weights, means, cov);
  }

  /** Diagonalises every covariance and builds the retained CPU constants. */
  private Constants factorise(double[] flat, double[] weights) {
    T_TensorTensor_T eig = torch.linalg_eigh(Torch.tensor(flat, components, dimension, dimension));
    Tensor spectrum = eig.get0();
    Tensor basis = eig.get1().contiguous();
    double[] lam = Torch.toDoubles(spectrum);
    for (int k = 0; k < components; k++) {
      System.arraycopy(lam, k * dimension, spectra[k], 0, dimension);
      MixtureChecks.positiveDefinite(spectra[k], k);
    }
    double[] logW = new double[components];
    double[] flatMeans = new double[components * dimension];
    for (int k = 0; k < components; k++) {
      logW[k] = Math.log(weights[k]);
      System.arraycopy(means[k], 0, flatMeans, k * dimension, dimension);
    }
    return retained(new Constants(Torch.tensor(logW, components), Torch.tensor(flatMeans, components, dimension),
        basis, basis.transpose(1, 2).contiguous(), spectrum.contiguous(),
        basis.mul(spectrum.sqrt().unsqueeze(1)).contiguous(), Torch.tensor(weights.clone(), components)));
  }

  private static Constants retained(Constants c) {
    for (Tensor t : new Tensor[] {c.logWeights(), c.means(), c.basis(), c.basisT(), c.spectrum(), c.root(), c.weights()}) {
      t.retainReference();
    }
    return c;
  }

  private Constants on(Device device) {
    String key = device.str().getString();
    Constants cpu = onDevice.get("cpu");
    if (key.equals("cpu")) {
      return cpu;
    }
    return onDevice.computeIfAbsent(key, k -> retained(new Constants(cpu.logWeights().to(device, torch.ScalarType.Double),
        cpu.means().to(device, torch.ScalarType.Double), cpu.basis().to(device, torch.ScalarType.Double),
        cpu.basisT().to(device, torch.ScalarType.Double), cpu.spectrum().to(device, torch.ScalarType.Double),
        cpu.root().to(device, torch.ScalarType.Double), cpu.weights().to(device, torch.ScalarType.Double))));
  }

  /** The number of components K. */
  public int components() {
    return components;
  }

  /** The dimension D. */
  public int dimension() {
    return dimension;
  }

  /** A copy of the weights. */
  public double[] weights() {
    return weights.clone();
  }

  /** A copy of mean μ_k. */
  public double[] mean(int k) {
    return means[k].clone();
  }

  /** A copy of covariance Σ_k (symmetrised). */
  public double[][] covariance(int k) {
    return MixtureChecks.copy(covariances[k]);
  }

  /** The eigenvalues of Σ_k, ascending. */
  public double[] eigenvalues(int k) {
    return spectra[k].clone();
  }

  /** The mixture mean Σ_k w_k μ_k. */
  public double[] mean() {
    double[] out = new double[dimension];
    for (int k = 0; k < components; k++) {
      for (int i = 0; i < dimension; i++) {
        out[i] += weights[k] * means[k][i];
      }
    }
    return out;
  }

  /** The mixture covariance Σ_k w_k (Σ_k + μ_k μ_kᵀ) - μ μᵀ. */
  public double[][] covariance() {
    double[] mu = mean();
    double[][] out = new double[dimension][dimension];
    for (int k = 0; k < components; k++) {
      for (int i = 0; i < dimension; i++) {
        for (int j = 0; j < dimension; j++) {
          out[i][j] += weights[k] * (covariances[k][i][j] + means[k][i] * means[k][j]);
        }
      }
    }
    for (int i = 0; i < dimension; i++) {
      for (int j = 0; j < dimension; j++) {
        out[i][j] -= mu[i] * mu[j];
      }
    }
    return out;
  }

  /** log p(x) per sample, {@code [B]}, for x shaped {@code [B, ...]} flattening to D. */
  public Tensor logDensity(Tensor x) {
    Tensor x64 = flat(x);
    Tensor ones = Torch.full(new long[] {x64.size(0)}, 1, x64);
    return evaluate(x64, ones, ones.mul(Torch.scalar(0)), false)[0].to(x.scalar_type());
  }

  /** ∇ₓ log p(x), shaped like x. */
  public Tensor score(Tensor x) {
    Tensor x64 = flat(x);
    Tensor ones = Torch.full(new long[] {x64.size(0)}, 1, x64);
    return evaluate(x64, ones, ones.mul(Torch.scalar(0)), true)[1].reshape(Torch.shape(x)).to(x.scalar_type());
  }

  /**
   * log p_{a,s}(x) per sample for the diffused mixture Σ_k w_k N(a μ_k, a²Σ_k + s²I); a and s are
   * {@code [B]} (any float dtype), x is {@code [B, ...]} flattening to D; the result is {@code [B]} in
   * the dtype of x.
   */
  public Tensor diffusedLogDensity(Tensor x, Tensor a, Tensor s) {
    Tensor x64 = flat(x);
    return evaluate(x64, perSample(a, x64, "a"), perSample(s, x64, "s"), false)[0].to(x.scalar_type());
  }

  /** ∇ₓ log p_{a,s}(x), shaped like x and in its dtype (see {@link #diffusedLogDensity}). */
  public Tensor diffusedScore(Tensor x, Tensor a, Tensor s) {
    Tensor x64 = flat(x);
    Tensor g = evaluate(x64, perSample(a, x64, "a"), perSample(s, x64, "s"), true)[1];
    return g.reshape(Torch.shape(x)).to(x.scalar_type());
  }

  /**
   * {@code n} exact draws {@code [n, D]}: a component k ~ Categorical(w), then μ_k + U_k Λ_k^{1/2} z with
   * z ~ N(0, I). Noise comes from {@code generator} (CPU, float64) and the result is moved to
   * {@code options} (null: float32 on the CPU).
   */
  public Tensor sample(long n, Generator generator, TensorOptions options) {
    Tensor[] drawn = sampleWithComponents(n, generator);
    return to(drawn[0], options);
  }

  /**
   * {@code n} exact draws as {@link #sample} (float64 on the CPU, [0]) with the component each came from
   * ([1], {@code [n]} int64).
   */
  Tensor[] sampleWithComponents(long n, Generator generator) {
    if (n < 1) {
      throw new org.sbgm.InvalidInputException("the number of samples must be at least 1, got " + n);
    }
    if (generator == null) {
      throw new IllegalArgumentException("sampling needs a Generator (Torch.generator(seed)), got null");
    }
    Constants c = onDevice.get("cpu");
    Tensor index = torch.multinomial(c.weights(), n, true, new GeneratorOptional(generator));
    Tensor z = Torch.randn(new long[] {n, dimension, 1}, generator, Torch.options(DType.FLOAT64));
    Tensor x = c.means().index_select(0, index).add(c.root().index_select(0, index).matmul(z).reshape(n, dimension));
    return new Tensor[] {x, index};
  }

  /** {@code x} moved to {@code options} (null: float32 on the CPU). */
  static Tensor to(Tensor x, TensorOptions options) {
    TensorOptions target = options == null ? Torch.options(DType.FLOAT32) : options;
    torch.ScalarType dtype = target.has_dtype() ? target.dtype().toScalarType().intern() : torch.ScalarType.Float;
    Device device = target.has_device() ? target.device() : new Device(torch.DeviceType.CPU);
    return x.to(device, dtype);
  }

  /** Log-density ([0], {@code [B]}) and, when asked, score ([1], {@code [B, D]}), all float64. */
  Tensor[] evaluate(Tensor x64, Tensor a, Tensor s, boolean withScore) {
    return evaluate(x64, a, s, withScore, null);
  }

  /**
   * As {@link #evaluate(Tensor, Tensor, Tensor, boolean)} for the mixture whose component means are
   * shifted per sample, μ_k + δ_kb ({@code shift} {@code [K, B, D]} float64, or null for none): the
   * conditional mixtures of {@link ConditionalGaussianMixtureScore}. Differentiable in the shift.
   */
  Tensor[] evaluate(Tensor x64, Tensor a, Tensor s, boolean withScore, Tensor shift) {
    Constants c = on(x64.device());
    long b = x64.size(0);
    // Layout [K, B, D]: each component is one [B, D] x [D, D] product.
    Tensor a3 = a.reshape(1, b, 1);
    Tensor means = shift == null ? c.means().unsqueeze(1) : c.means().unsqueeze(1).add(shift);
    Tensor diff = x64.unsqueeze(0).sub(means.mul(a3));
    Tensor z = diff.matmul(c.basis());
    Tensor v = c.spectrum().unsqueeze(1).mul(a3.square()).add(s.reshape(1, b, 1).square());
    Tensor w = z.div(v);
    Tensor logComponent = z.mul(w).sum(2).add(v.log().sum(2)).add(Torch.scalar(dimension * LOG_2PI))
        .mul(Torch.scalar(-0.5)).add(c.logWeights().unsqueeze(1));
    Tensor logP = torch.logsumexp(logComponent, 0);
    if (!withScore) {
      return new Tensor[] {logP, null};
    }
    Tensor r = torch.softmax(logComponent, 0);
    Tensor score = w.mul(r.unsqueeze(2)).matmul(c.basisT()).sum(0).neg();
    return new Tensor[] {logP, score};
  }

  /** x as float64 {@code [B, D]}; throws unless it flattens to D per sample. */
  Tensor flat(Tensor x) {
    if (x == null || x.dim() < 1) {
      throw new org.sbgm.InvalidInputException("x must be shaped [B, ...] with " + dimension + " values per sample, got "
          + (x == null ? "null" : "a 0-d tensor"));
    }
    if (Torch.perSampleSize(x) != dimension || x.size(0) < 1) {
      throw new org.sbgm.InvalidInputException("x has shape " + java.util.Arrays.toString(Torch.shape(x)) + ", but the mixture needs ["
          + "B, ...] with " + dimension + " values per sample");
    }
    return x.reshape(x.size(0), dimension).to(torch.ScalarType.Double);
  }


  /** A per-sample coefficient as float64 {@code [B]} on the device of x (a single value is broadcast). */
  static Tensor perSample(Tensor v, Tensor x64, String name) {
    long b = x64.size(0);
    if (v == null || (v.numel() != b && v.numel() != 1)) {
      throw new org.sbgm.InvalidInputException(name + " must hold one value per sample (" + b + ") or a single value, got "
          + (v == null ? "null" : "shape " + java.util.Arrays.toString(Torch.shape(v))));
    }
    Tensor out = v.reshape(-1).to(x64.device(), torch.ScalarType.Double);
    return v.numel() == b ? out : out.expand(b);
  }

  @Override
  public String toString() {
    return "GaussianMixture(K=" + components + ", D=" + dimension + ")";
  }
}
