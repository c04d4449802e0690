package org.sbgm.inference;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * L(π) = Σ_i log p(x_i | π) for fixed observations x_1..x_N under a conditional model
 * ({@link ConditionalDensity#given}): M parameter points are evaluated in one batched ODE solve of M·N
 * states (block c holds the N observations paired with π_c), so an ensemble of chains costs one solve per
 * move; Hutchinson probes are fixed per observation and shared by every π, so L is deterministic.
 */
public final class ObservedLikelihood implements LikelihoodFunction {
  private final ConditionalDensity density;
  private final LogLikelihood likelihood;
  private final Tensor observations;
  private final double logJacobian;
  private final int pointsPerSolve;
  private long solves;
  private long nfe;

  ObservedLikelihood(ConditionalDensity density, LogLikelihood likelihood, Tensor observations, double logJacobian,
      int pointsPerSolve) {
    this.density = density;
    this.likelihood = likelihood;
    this.observations = observations;
    this.logJacobian = logJacobian;
    this.pointsPerSolve = pointsPerSolve;
  }

  /** N, the number of observations. */
  public long observations() {
    return observations.size(0);
  }

  /** P. */
  public int dimension() {
    return density.dimension();
  }

  /** The ODE solves so far. */
  public long solves() {
    return solves;
  }

  /** The evaluations of the augmented ODE's field over all solves so far (not counting gradients). */
  public long nfe() {
    return nfe;
  }

  @Override
  public double[] logLikelihood(double[][] theta) {
    double[] out = new double[theta.length];
    for (int start = 0; start < theta.length; start += pointsPerSolve) {
      int m = Math.min(pointsPerSolve, theta.length - start);
      try (PointerScope scope = new PointerScope()) {
        Tensor[] batch = batch(theta, start, m);
        double[] perState = density.evaluate(likelihood, batch[0], zeros(batch[0].size(0)), batch[1], null,
            k -> nfe += k);
        sumBlocks(perState, out, start, m);
      }
      solves++;
    }
    return out;
  }

  /** L(π_c) and ∂L/∂π_c for each row (autograd through the solve; for small models). */
  public ConditionalDensity.Gradient gradient(double[][] theta) {
    double[] values = new double[theta.length];
    double[][] grads = new double[theta.length][];
    int n = (int) observations();
    for (int start = 0; start < theta.length; start += pointsPerSolve) {
      int m = Math.min(pointsPerSolve, theta.length - start);
      try (PointerScope scope = new PointerScope()) {
        Tensor[] batch = batch(theta, start, m);
        ConditionalDensity.Gradient g = density.gradient(likelihood, batch[0], zeros(batch[0].size(0)), batch[1], null);
        sumBlocks(g.values(), values, start, m);
        for (int c = 0; c < m; c++) {
          double[] total = new double[dimension()];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < total.length; j++) {
              total[j] += g.gradient()[c * n + i][j];
            }
          }
          grads[start + c] = total;
        }
      }
      solves++;
    }
    return new ConditionalDensity.Gradient(values, grads);
  }

  /** [Y, Π]: the observations repeated for m points (block-major) and each point repeated N times. */
  private Tensor[] batch(double[][] theta, int start, int m) {
    int p = dimension();
    long n = observations();
    double[] flat = new double[Math.toIntExact(m * n * p)];
    for (int c = 0; c < m; c++) {
      double[] row = theta[start + c];
      if (row.length != p) {
        throw new InvalidInputException("a parameter point has " + row.length + " values, but the model takes " + p);
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(row, 0, flat, Math.toIntExact((c * n + i) * p), p);
      }
    }
    long[] shape = Torch.shape(observations);
    long[] repeat = new long[shape.length];
    Arrays.fill(repeat, 1);
    repeat[0] = m;
    Tensor y = observations.repeat(repeat);
    return new Tensor[] {y, Torch.tensor(flat, DType.FLOAT64, m * n, p)};
  }

  private static Tensor zeros(long rows) {
    return Torch.full(new long[] {rows}, 0, Torch.options(DType.FLOAT64));
  }

  private void sumBlocks(double[] perState, double[] out, int start, int m) {
    int n = (int) observations();
    for (int c = 0; c < m; c++) {
      double s = logJacobian;
      for (int i = 0; i < n; i++) {
        s += perState[c * n + i];
      }
      out[start + c] = s;
    }
  }
}
