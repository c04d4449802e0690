package org.sbgm.data;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Periodic, stationary Gaussian random fields on an n×n grid with power spectrum
 * P(k) = A k^(-B), the toy "cosmology" data set for conditional generation (condition π = (A, B)).
 *
 * <p><b>Definition.</b> k = (k_x, k_y) is the integer wave vector of a DFT index (signed:
 * -⌊n/2⌋ ≤ k_i &lt; n - ⌊n/2⌋, i.e. in units of 2π/n) and k = |k|. With the unitary DFT
 * X̂_k = n⁻¹ Σ_r x_r e^{-2πi k·r/n}, the field is x = F⁻¹(√P ⊙ F w) for white noise w ~ N(0, I_{n²}):
 * a circulant filter of w, so x ~ N(0, Σ) with Σ = F* diag(P) F circulant, E|X̂_k|² = P(k) and
 * Cov(x_r, x_s) = n⁻² Σ_k P(k) cos(2π k·(r - s)/n). The k = 0 mode (the field's mean) would have
 * P(0) = ∞ or, set to zero, make the distribution degenerate; here it gets the fixed small variance
 * {@link Config#zeroModeVariance()} so that p(x) is a proper density on R^{n²}.
 *
 * <p><b>Exact log-density.</b> Because Σ is diagonalised by the unitary DFT,
 * <pre>  log p(x) = -½ Σ_k |X̂_k|² / P(k) - ½ Σ_k log P(k) - (n²/2) log 2π,</pre>
 * summing over all n² modes. This already accounts for the Hermitian symmetry X̂_{-k} = conj X̂_k of
 * a real field: the pairs (k, -k) carry two real degrees of freedom (Re, Im, each of variance P/2)
 * and the self-conjugate modes (k = 0 and the Nyquist modes k_i = -n/2 for even n) one each, n² in
 * all; writing the sum over independent real coordinates gives the same value.
 */
public final class GaussianRandomField {
  /** The largest field size n: n² pixels fit one Java array. */
  public static final int MAX_SIZE = 46340;
  /**
   * The range of P(k) on the grid: powers of ten from -300 to 300, so that every P(k), its square root, its
   * logarithm and |X̂_k|² / P(k) are finite doubles.
   */
  static final double MIN_LOG10_POWER = -300;
  static final double MAX_LOG10_POWER = 300;
  /**
   * The largest P_max ε² / P_min, with ε the unit roundoff of the fields' dtype: the rounding of the fields must
   * stay a thousandth of the variance of the faintest mode, or its density is dominated by rounding.
   */
  static final double MAX_ROUNDING = 1e-3;
  /** Bytes of tensors a field pixel needs while one is drawn (noise, its DFT, the spectrum, the product, the result). */
  static final int BYTES_PER_PIXEL = 80;

  /** The default variance of the k = 0 (mean) mode. */
  public static final double DEFAULT_ZERO_MODE_VARIANCE = 1e-4;
  private final Config config;
  private final Tensor logWavenumber;
  private final Tensor zeroMode;

  /**
   * Settings: grid size, ranges from which A and B are drawn uniformly per field (equal ends fix
   * them), and the variance of the zero mode.
   *
   * @param size n, at least 2
   * @param amplitudeMin lower end of A, positive
   * @param amplitudeMax upper end of A
   * @param exponentMin lower end of B
   * @param exponentMax upper end of B
   * @param zeroModeVariance P(0), positive
   */
  public record Config(int size, double amplitudeMin, double amplitudeMax, double exponentMin, double exponentMax,
      double zeroModeVariance) {
    /** Validates the settings. */
    public Config {
      if (size < 2) {
        throw new InvalidInputException("field size n must be at least 2, got " + size);
      }
      if (size > MAX_SIZE) {
        throw new InvalidInputException("field size n must be at most " + MAX_SIZE + " (n² pixels in one array), got " + size);
      }
      if (amplitudeMin == amplitudeMax && !(amplitudeMin > 0 && Double.isFinite(amplitudeMin))) {
        throw new InvalidInputException("the amplitude A must be finite and positive, got " + amplitudeMin);
      }
      if (!(amplitudeMin > 0) || !(amplitudeMax >= amplitudeMin) || !Double.isFinite(amplitudeMax)) {
        throw new InvalidInputException("amplitude range [" + amplitudeMin + ", " + amplitudeMax + "] must be finite, positive and ordered");
      }
      if (exponentMin == exponentMax && !Double.isFinite(exponentMin)) {
        throw new InvalidInputException("the exponent B must be finite, got " + exponentMin);
      }
      if (!(exponentMax >= exponentMin) || !Double.isFinite(exponentMin) || !Double.isFinite(exponentMax)) {
        throw new InvalidInputException("exponent range [" + exponentMin + ", " + exponentMax + "] must be finite and ordered");
      }
      if (!(zeroModeVariance > 0) || !Double.isFinite(zeroModeVariance)) {
        throw new InvalidInputException("zero-mode variance must be finite and positive, got " + zeroModeVariance);
      }
      double[] range = log10Range(size, amplitudeMin, amplitudeMax, exponentMin, exponentMax, zeroModeVariance);
      if (range[0] < MIN_LOG10_POWER || range[1] > MAX_LOG10_POWER) {
        String at = parameters(amplitudeMin, amplitudeMax, exponentMin, exponentMax);
        throw new InvalidInputException("the power spectrum P(k) = A k^-B " + at + " spans " + powerOfTen(range[0])
            + " to " + powerOfTen(range[1]) + " over the " + size + " × " + size + " grid (k from 1 to "
            + String.format(Locale.ROOT, "%.4g", maxWavenumber(size)) + "), but must lie in [1e" + (int) MIN_LOG10_POWER
            + ", 1e" + (int) MAX_LOG10_POWER + "] for the fields and their density to be finite");
      }
    }

    /** "at A = 1.0, B = 3.0" or "for A in [0.5, 2.0], B in [2.0, 4.0]". */
    String parameters() {
      return parameters(amplitudeMin, amplitudeMax, exponentMin, exponentMax);
    }

    private static String parameters(double amplitudeMin, double amplitudeMax, double exponentMin, double exponentMax) {
      return amplitudeMin == amplitudeMax && exponentMin == exponentMax ? "at A = " + amplitudeMin + ", B = " + exponentMin
          : "for A in [" + amplitudeMin + ", " + amplitudeMax + "], B in [" + exponentMin + ", " + exponentMax + "]";
    }

    /**
     * The smallest and largest log10 P(k) over the grid and the ranges, the zero mode included: P(k) is monotone in
     * k, A and B, so the extremes lie at k = 1 or k = k_max and at the ends of the ranges.
     */
    double[] log10Range() {
      return log10Range(size, amplitudeMin, amplitudeMax, exponentMin, exponentMax, zeroModeVariance);
    }

    private static double[] log10Range(int size, double amplitudeMin, double amplitudeMax, double exponentMin,
        double exponentMax, double zeroModeVariance) {
      double lo = Math.log10(zeroModeVariance);
      double hi = lo;
      double logMax = Math.log10(maxWavenumber(size));
      for (double a : new double[] {amplitudeMin, amplitudeMax}) {
        for (double b : new double[] {exponentMin, exponentMax}) {
          for (double logk : new double[] {0, logMax}) {
            double v = Math.log10(a) - b * logk;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      return new double[] {lo, hi};
    }
    /** Fixed A and B with the default zero-mode variance. */
    public static Config fixed(int size, double amplitude, double exponent) {
      return fixed(size, amplitude, exponent, DEFAULT_ZERO_MODE_VARIANCE);
    }

    /** Fixed A and B with the given zero-mode variance. */
    public static Config fixed(int size, double amplitude, double exponent, double zeroModeVariance) {
      return new Config(size, amplitude, amplitude, exponent, exponent, zeroModeVariance);
    }

    /** A and B drawn from ranges, with the default zero-mode variance. */
    public static Config ranges(int size, double amplitudeMin, double amplitudeMax, double exponentMin, double exponentMax) {
      return new Config(size, amplitudeMin, amplitudeMax, exponentMin, exponentMax, DEFAULT_ZERO_MODE_VARIANCE);
    }
  }

  /**
   * Generated fields with their parameters.
   *
   * @param fields {@code [N, 1, n, n]}
   * @param parameters π = (A, B) per field, {@code [N, 2]}
   */
  public record Fields(Tensor fields, Tensor parameters) {}

  /** A generator of fields with {@code config}. */
  public GaussianRandomField(Config config) {
    Torch.init();
    this.config = config;
    int n = config.size();
    org.sbgm.Memory.checkHeap("a field generator of " + n + " × " + n + " pixels", 24.0 * n * n);
    double[] k = wavenumbers(n);
    double[] logk = new double[k.length];
    double[] zero = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      logk[i] = k[i] == 0 ? 0 : Math.log(k[i]);
      zero[i] = k[i] == 0 ? 1 : 0;
    }
    logWavenumber = Torch.tensor(logk, 1, n, n);
    logWavenumber.retainReference();
    zeroMode = Torch.tensor(zero, 1, n, n).to(torch.ScalarType.Bool);
    zeroMode.retainReference();
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** The largest |k| on an n × n grid: √2 ⌊n/2⌋. */
  static double maxWavenumber(int n) {
    return Math.sqrt(2) * (n / 2);
  }

  static String powerOfTen(double log10) {
    return Math.abs(log10) < 1e4 ? String.format(Locale.ROOT, "1e%.1f", log10) : String.format(Locale.ROOT, "10^(%.3g)", log10);
  }

  /**
   * Refuses spectra that fields of {@code dtype} cannot resolve: P_max ε² / P_min above {@value #MAX_ROUNDING}
   * (ε the dtype's unit roundoff), where the faintest modes would be drowned by the rounding of the fields, or
   * fields whose values would overflow the dtype.
   *
   * @throws InvalidInputException naming (A, B), the spectrum's range and the dtype's limit
   */
  public void checkResolution(DType dtype) {
    boolean single = dtype != DType.FLOAT64;
    double log10Eps = single ? -24 * Math.log10(2) : -53 * Math.log10(2);
    double[] range = config.log10Range();
    double allowed = Math.log10(MAX_ROUNDING) - 2 * log10Eps;
    int n = config.size();
    if (range[1] - range[0] > allowed) {
      throw new InvalidInputException("the power spectrum P(k) = A k^-B " + config.parameters() + " (zero mode "
          + config.zeroModeVariance() + ") spans " + powerOfTen(range[0]) + " to " + powerOfTen(range[1]) + " over the " + n
          + " × " + n + " grid, a ratio above the 1e" + String.format(Locale.ROOT, "%.1f", allowed) + " that "
          + dtype.name().toLowerCase(Locale.ROOT) + " fields resolve (the faintest modes would be lost in rounding)");
    }
    double log10Max = single ? Math.log10(Float.MAX_VALUE) : Math.log10(Double.MAX_VALUE);
    if (range[1] / 2 > log10Max - 6) {
      throw new InvalidInputException("the power spectrum P(k) = A k^-B " + config.parameters() + " reaches "
          + powerOfTen(range[1]) + ", so " + dtype.name().toLowerCase(Locale.ROOT) + " fields (at most "
          + powerOfTen(log10Max) + ") would overflow");
    }
  }

  /**
   * Refuses {@code count} fields that this machine's memory cannot hold while they are drawn
   * ({@value #BYTES_PER_PIXEL} bytes a pixel).
   *
   * @throws InvalidInputException naming the count, the size and the memory needed
   */
  public static void checkCount(long count, int size) {
    if (count < 1) {
      throw new InvalidInputException("the number of fields must be at least 1, got " + count);
    }
    org.sbgm.Memory.checkPhysical("drawing " + count + " fields of " + size + " × " + size + " pixels",
        (double) count * size * size * BYTES_PER_PIXEL);
  }

  /** |k| for each DFT index (k_y, k_x) in row-major order, with signed integer frequencies. */
  public static double[] wavenumbers(int n) {
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int ky = i < n - n / 2 ? i : i - n;
        int kx = j < n - n / 2 ? j : j - n;
        k[i * n + j] = Math.sqrt((double) kx * kx + (double) ky * ky);
      }
    }
    return k;
  }

  /** P(k) over the DFT grid for one (A, B), row-major, P(0) the zero-mode variance. */
  public double[] spectrum(double amplitude, double exponent) {
    double[] k = wavenumbers(config.size());
    double[] p = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      p[i] = k[i] == 0 ? config.zeroModeVariance() : amplitude * Math.pow(k[i], -exponent);
    }
    return p;
  }

  /**
   * The covariance Σ of the fields at one (A, B), as an n² × n² matrix over row-major pixels:
   * Σ_{rs} = c(r − s mod n) with c = Re F⁻¹[P] the inverse DFT of the spectrum (the field is a
   * circulant filter of white noise). The exact Gaussian prior of inverse problems on these fields.
   */
  public double[][] covariance(double amplitude, double exponent) {
    int n = config.size();
    double[] c;
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      Tensor p = Torch.tensor(spectrum(amplitude, exponent), DType.FLOAT64, n, n);
      c = Torch.toDoubles(torch.real(torch.fft_ifft2(p.to(torch.ScalarType.ComplexDouble))).contiguous());
    }
    double[][] cov = new double[n * n][n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          for (int l = 0; l < n; l++) {
            cov[i * n + j][k * n + l] = c[Math.floorMod(i - k, n) * n + Math.floorMod(j - l, n)];
          }
        }
      }
    }
    return cov;
  }

  /** P(k) over the DFT grid for each row (A, B) of {@code parameters [N, 2]}: float64 {@code [N, n, n]}. */
  public Tensor spectrum(Tensor parameters) {
    if (parameters.dim() != 2 || parameters.size(1) != 2) {
      throw new InvalidInputException("parameters must be [N, 2] rows (A, B), got " + Arrays.toString(Torch.shape(parameters)));
    }
    Tensor p = parameters.to(torch.ScalarType.Double).cpu();
    Tensor a = p.select(1, 0).reshape(-1, 1, 1);
    Tensor b = p.select(1, 1).reshape(-1, 1, 1);
    Tensor power = a.mul(torch.exp(b.neg().mul(logWavenumber)));
    return torch.where(zeroMode, Torch.scalar(config.zeroModeVariance()), power);
  }

  /**
   * {@code count} fields of {@code dtype} with (A, B) drawn uniformly from the configured ranges.
   *
   * @throws InvalidInputException when they cannot be held ({@link #checkCount}) or resolved ({@link #checkResolution})
   */
  public Fields sample(long count, Generator g, DType dtype) {
    checkCount(count, config.size());
    checkResolution(dtype);
    Tensor u = Torch.rand(new long[] {count, 2}, g, Torch.options(DType.FLOAT64));
    Tensor lo = Torch.tensor(new double[] {config.amplitudeMin(), config.exponentMin()}, 1, 2);
    Tensor width = Torch.tensor(new double[] {config.amplitudeMax() - config.amplitudeMin(),
        config.exponentMax() - config.exponentMin()}, 1, 2);
    Tensor params = lo.add(u.mul(width)).to(dtype.scalarType());
    return new Fields(sample(params, g), params);
  }

  /**
   * Held-out fields at the one (A, B) of a {@link Config#fixed} configuration.
   *
   * @param fields {@code [N, n, n]}, contiguous
   * @param meanLogDensity the mean exact log p(x | A, B) over them, in nats
   * @param dimension n², the pixels of one field
   */
  public record HeldOut(Tensor fields, double meanLogDensity, long dimension) {
    /** The mean exact log-density in bits per dimension, −mean / (n² ln 2) (valid after the fields' scope closed). */
    public double meanBitsPerDim() {
      return -meanLogDensity / (dimension * Math.log(2));
    }
  }

  /**
   * {@code count} fields of {@code dtype} at this configuration's one (A, B) and their exact mean
   * log-density: the data that a model's log-likelihoods are compared with.
   *
   * @throws InvalidInputException when (A, B) is a range rather than one point, when the fields cannot be held
   *     or resolved ({@link #sample(long, Generator, DType)}), or when their exact log-density is not finite
   */
  public HeldOut heldOut(long count, Generator g, DType dtype) {
    if (config.amplitudeMin() != config.amplitudeMax() || config.exponentMin() != config.exponentMax()) {
      throw new InvalidInputException("held-out fields are drawn at one (A, B), but the configuration spans "
          + config.parameters().substring(4));
    }
    int n = config.size();
    Tensor fields = sample(count, g, dtype).fields().reshape(count, n, n).contiguous();
    double mean = logDensity(fields, config.amplitudeMin(), config.exponentMin()).mean().item_double();
    if (!Double.isFinite(mean)) {
      throw new InvalidInputException("the exact mean log-density of the fields is " + mean + ", not a finite number; "
          + "P(k) = A k^-B must stay within what " + dtype.name().toLowerCase(Locale.ROOT) + " fields resolve");
    }
    return new HeldOut(fields, mean, (long) n * n);
  }

  /** One field per row (A, B) of {@code parameters [N, 2]}: {@code [N, 1, n, n]} of the parameters' dtype. */
  public Tensor sample(Tensor parameters, Generator g) {
    int n = config.size();
    Tensor power = spectrum(parameters);
    Tensor w = Torch.randn(new long[] {power.size(0), n, n}, g, Torch.options(DType.FLOAT64));
    Tensor x = torch.real(torch.fft_ifft2(torch.fft_fft2(w).mul(torch.sqrt(power)))).contiguous();
    return x.unsqueeze(1).to(parameters.device(), parameters.scalar_type());
  }

  /** The exact log p(x | A, B) of every field at one (A, B); see {@link #logDensity(Tensor, Tensor)}. */
  public Tensor logDensity(Tensor fields, double amplitude, double exponent) {
    return logDensity(fields, Torch.tensor(new double[] {amplitude, exponent}, DType.FLOAT64, 1, 2).expand(fields.size(0), 2));
  }

  /** The exact log p(x | A, B) of fields {@code [N, 1, n, n]} or {@code [N, n, n]}, as {@code [N]} (computed in float64). */
  public Tensor logDensity(Tensor fields, Tensor parameters) {
    int n = config.size();
    long[] s = Torch.shape(fields);
    if (s.length < 3 || s[s.length - 1] != n || s[s.length - 2] != n || fields.numel() != s[0] * n * n) {
      throw new InvalidInputException("fields must be [N, 1, " + n + ", " + n + "] or [N, " + n + ", " + n + "], got " + Arrays.toString(s));
    }
    Tensor power = spectrum(parameters);
    if (power.size(0) != s[0]) {
      throw new InvalidInputException(s[0] + " fields but " + power.size(0) + " parameter rows; expected one row per field");
    }
    Tensor x = fields.to(torch.ScalarType.Double).cpu().reshape(s[0], n, n);
    Tensor hat = torch.fft_fft2(x).div(Torch.scalar(n)); // unitary DFT
    Tensor abs2 = torch.view_as_real(hat).pow(Torch.scalar(2)).sum(new long[] {3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    Tensor quad = abs2.div(power).sum(new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    Tensor logDet = torch.log(power).sum(new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    Tensor logp = quad.add(logDet).mul(Torch.scalar(-0.5)).sub(Torch.scalar(0.5 * n * n * Math.log(2 * Math.PI)));
    return logp.to(fields.device(), fields.scalar_type());
  }
}
