package org.sbgm.likelihood;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;

/**
 * How ∇·F(x) = tr(∂F/∂x) of a vector field is computed for a batch.
 *
 * <p>A divergence is a recipe; {@link #begin} makes an {@link Estimator} for one likelihood
 * evaluation, so stochastic estimators draw their probes once and keep them fixed along the whole
 * ODE path (the estimate is then a smooth function of time and adaptive solvers stay efficient).
 */
public interface Divergence {
  /** An estimator for states shaped {@code [B, D]} (flattened per sample). */
  Estimator begin(Tensor xFlat, Generator generator);

  /** Divergence of one evaluation of the field. */
  @FunctionalInterface
  interface Estimator extends AutoCloseable {
    /**
     * tr(∂F/∂x) per sample, {@code [B]}, where {@code fx = F(x)} was computed from {@code x} (both
     * {@code [B, D]}) with grad mode on and {@code x.requires_grad()}. The result carries no graph.
     */
    Tensor divergence(Tensor fx, Tensor x);

    /** Releases what the estimator holds (its probes). */
    @Override
    default void close() {}
  }

  /** The exact trace from D vector-Jacobian products. */
  static Divergence exact() {
    return new Exact();
  }

  /** Hutchinson's estimator with {@code probes} Rademacher probes. */
  static Divergence hutchinson(int probes) {
    return new Hutchinson(Hutchinson.Probe.RADEMACHER, probes);
  }

  /** Parses {@code exact} or {@code hutchinson} (with {@code probes} probes). */
  static Divergence parse(String name, int probes) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "exact": return exact();
      case "hutchinson": return hutchinson(probes);
      default: throw new IllegalArgumentException("divergence must be exact or hutchinson, got '" + name + "'");
    }
  }
}
