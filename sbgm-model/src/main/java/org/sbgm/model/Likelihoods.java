package org.sbgm.cli;

import java.util.function.DoubleConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.data.Transform;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Log-likelihoods of data in data units: each batch x is mapped to the model's units y = T(x), the
 * augmented probability-flow ODE gives log p_θ(y), and the change of variables adds
 * log |det ∂T/∂x| (Song et al. 2021, arXiv 2011.13456, Appendix D.2). For 8-bit image models T
 * includes uniform dequantisation, so the result is the log-density of the dequantised data.
 */
final class Likelihoods {
  /** The start time ε of the likelihood ODE. */
  static final double EPSILON = 1e-5;

  private Likelihoods() {}

  /** Per-point log-likelihoods (nats, data units) and the solver's cost. */
  record Result(double[] nats, long nfe, int batches) {}

  /**
   * Evaluates {@code x} ({@code [N, ...]} in data units, float32 for models, float64 for the oracle) in
   * batches; {@code onBatchTime} receives progress as (batch index + fraction of [ε, T] covered).
   */
  static Result evaluate(ScoreSource source, Tensor x, Divergence divergence, double rtol, double atol, double epsilon,
      int batch, double[] pi, Generator generator, DoubleConsumer onProgress) {
    long n = x.size(0);
    double horizon = source.sde().horizon();
    LogLikelihood.Builder builder = LogLikelihood.builder(source.sde()).divergence(divergence).tolerances(rtol, atol)
        .epsilon(epsilon);
    GaussianMixtureScore oracle = source.oracle();
    if (oracle != null) {
      builder.terminalLogDensity(z -> oracle.logDensity(z, horizon)); // the oracle knows p_T exactly
    }
    Transform transform = source.transform().create(generator);
    double[] nats = new double[Math.toIntExact(n)];
    long nfe = 0;
    int batches = (int) ((n + batch - 1) / batch);
    for (int b = 0; b < batches; b++) {
      long start = (long) b * batch;
      long rows = Math.min(batch, n - start);
      int index = b;
      // progress from the solver's accepted steps, so the score stays as it is (forward-mode tangents included)
      LogLikelihood ll = builder.observer((t, y, dt) -> onProgress.accept(
          index + Math.max(0, Math.min(1, (t - epsilon) / (horizon - epsilon))))).build();
      try (PointerScope scope = new PointerScope()) {
        Tensor xb = x.narrow(0, start, rows);
        Tensor y = transform.forward(xb);
        Condition c = Conditions.of(pi, rows, oracle != null ? DType.FLOAT64 : DType.FLOAT32);
        LikelihoodResult r = ll.evaluate(source.score(), y, c, generator);
        double[] jac = Torch.toDoubles(transform.logAbsDetJacobian(xb));
        for (int i = 0; i < rows; i++) {
          nats[(int) start + i] = r.nats()[i] + jac[i];
        }
        nfe += r.nfe();
      }
      onProgress.accept(b + 1);
    }
    return new Result(nats, nfe, batches);
  }
}
