package org.sbgm.inference;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.data.Affine;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.score.Condition;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The conditional test oracle: p(x | π) = 0.4 N(A₁π, Σ₁) + 0.6 N(μ₂ + A₂π, Σ₂) in two dimensions with
 * π ∈ ℝ², under the VP SDE, and the density objects the inference tests use.
 */
final class ConditionalOracle {
  private ConditionalOracle() {}

  static ConditionalGaussianMixtureScore score() {
    GaussianMixture base = new GaussianMixture(new double[] {0.4, 0.6}, new double[][] {{0, 0}, {0.8, 0.4}},
        new double[][][] {{{0.30, 0.05}, {0.05, 0.20}}, {{0.25, -0.05}, {-0.05, 0.35}}});
    double[][][] maps = {{{1.0, 0.3}, {0.0, 0.8}}, {{0.8, 0.0}, {0.2, 1.1}}};
    return new ConditionalGaussianMixtureScore(base, maps, new VpSde());
  }

  /** The ODE likelihood of the oracle with its exact terminal density p_T(x | π). */
  static LogLikelihood likelihood(ConditionalGaussianMixtureScore oracle, Divergence divergence, double tol) {
    double horizon = oracle.sde().horizon();
    return LogLikelihood.builder().divergence(divergence).tolerances(tol, tol).epsilon(1e-5)
        .conditionalTerminalLogDensity((z, c) -> oracle.logDensity(z, horizon, c.parameters())).build();
  }

  /** (x, π) ↦ log p(x | π) through the ODE, in float64, identity data transform and parameter map. */
  static ConditionalDensity density(ConditionalGaussianMixtureScore oracle, Divergence divergence, double tol) {
    return new ConditionalDensity(oracle, likelihood(oracle, divergence, tol), Affine.of(1, 0), Condition::ofParameters, 2,
        new long[] {2}, DType.FLOAT64, 7);
  }

  /** The closed-form likelihood Σ_i log p(x_i | θ) of the observations. */
  static LikelihoodFunction exact(ConditionalGaussianMixtureScore oracle, double[][] observations) {
    return theta -> {
      double[] out = new double[theta.length];
      try (org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope()) {
        for (double[] x : observations) {
          Tensor xs = Torch.tensor(repeat(x, theta.length), DType.FLOAT64, theta.length, x.length);
          Tensor pi = Torch.tensor(flat(theta), DType.FLOAT64, theta.length, theta[0].length);
          double[] v = Torch.toDoubles(oracle.logDensity(xs, pi));
          for (int c = 0; c < out.length; c++) {
            out[c] += v[c];
          }
        }
      }
      return out;
    };
  }

  static double[] repeat(double[] row, int times) {
    double[] out = new double[row.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(row, 0, out, i * row.length, row.length);
    }
    return out;
  }

  static double[] flat(double[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }
}
