package org.sbgm.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npz;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The linear-Gaussian simulator, the standard check of simulation-based inference: θ ∈ ℝ^P ~ N(0, I) and
 * x | θ ~ N(θ + b, s² I) with a shift b and a noise variance s² (the project's problem: P = 3, b = −1,
 * s² = 0.3). Its posterior is exact: for observations x_1..x_N,
 * <pre>  θ | x ~ N(μ, v I),  v = 1 / (1 + N/s²),  μ = v Σ_i (x_i − b) / s²,</pre>
 * so at x_o = 0 (N = 1) the posterior is N(0.769, 0.231 I).
 *
 * @param dimension P
 * @param shift b
 * @param noiseVariance s²
 */
public record LinearGaussian(int dimension, double shift, double noiseVariance) {
  /** Checks the settings. */
  public LinearGaussian {
    if (dimension < 1) {
      throw new InvalidInputException("the linear-Gaussian simulator needs a dimension of at least 1, got " + dimension);
    }
    if (!Double.isFinite(shift)) {
      throw new InvalidInputException("the linear-Gaussian shift must be finite, got " + shift);
    }
    if (!(noiseVariance > 0) || !Double.isFinite(noiseVariance)) {
      throw new InvalidInputException("the linear-Gaussian noise variance must be positive and finite, got " + noiseVariance);
    }
  }

  /** The project's problem: θ ∈ ℝ³ ~ N(0, I), x | θ ~ N(θ − 1, 0.3 I). */
  public static LinearGaussian standard() {
    return new LinearGaussian(3, -1, 0.3);
  }

  /**
   * Simulated pairs.
   *
   * @param theta {@code [N, P]} draws from the prior
   * @param x {@code [N, P]}, one simulation per θ
   */
  public record Pairs(Tensor theta, Tensor x) {
    /**
     * Writes the pairs as an {@code .npz} archive with the arrays {@code theta} and {@code x} (the layout
     * that {@code sbgm simulate} writes and a run configuration's {@code array:} keys name), atomically.
     */
    public void write(Path file) throws IOException {
      Map<String, Tensor> arrays = new LinkedHashMap<>();
      arrays.put("theta", theta);
      arrays.put("x", x);
      Npz.write(file, arrays, false);
    }
  }

  /** Bytes of tensors a simulated value needs: θ and x in float64 with the noise and sums, and their copies in the dtype. */
  static final int BYTES_PER_VALUE = 48;

  /**
   * Refuses {@code n} simulations of {@code dimension} values that this machine's memory cannot hold
   * ({@value #BYTES_PER_VALUE} bytes a value while they are drawn).
   *
   * @throws InvalidInputException naming n, P and the memory needed
   */
  public static void checkSize(long n, int dimension) {
    if (n < 1) {
      throw new InvalidInputException("the number of simulations must be at least 1, got " + n);
    }
    org.sbgm.Memory.checkPhysical("simulating n × P = " + n + " × " + dimension + " values",
        (double) n * dimension * BYTES_PER_VALUE);
  }

  /**
   * {@code n} pairs (θ_i, x_i) in {@code dtype}: θ_i from the prior, then x_i | θ_i.
   *
   * @throws InvalidInputException when they cannot be held ({@link #checkSize})
   */
  public Pairs simulate(long n, Generator generator, DType dtype) {
    checkSize(n, dimension);
    Tensor theta = Torch.randn(new long[] {n, dimension}, generator, Torch.options(DType.FLOAT64));
    return new Pairs(theta.to(dtype.scalarType()), simulate(theta, generator).to(dtype.scalarType()));
  }

  /** One x per row of {@code theta} ({@code [N, P]}), float64. */
  public Tensor simulate(Tensor theta, Generator generator) {
    Tensor t = theta.to(DType.FLOAT64.scalarType());
    Tensor noise = Torch.randn(Torch.shape(t), generator, Torch.options(DType.FLOAT64)).mul(Torch.scalar(Math.sqrt(noiseVariance)));
    return t.add(Torch.scalar(shift)).add(noise);
  }

  /** The exact posterior variance v of each component given N observations. */
  public double posteriorVariance(int observations) {
    return 1 / (1 + observations / noiseVariance);
  }

  /** The exact posterior mean given the observations {@code x} ({@code [N][P]}). */
  public double[] posteriorMean(double[][] x) {
    double v = posteriorVariance(x.length);
    double[] m = new double[dimension];
    for (double[] row : x) {
      if (row.length != dimension) {
        throw new InvalidInputException("an observation has " + row.length + " values, but the simulator has " + dimension);
      }
      for (int j = 0; j < dimension; j++) {
        m[j] += v * (row[j] - shift) / noiseVariance;
      }
    }
    return m;
  }
}
