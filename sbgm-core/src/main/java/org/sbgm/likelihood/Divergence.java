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

    /**
     * As {@link #divergence(Tensor, Tensor)}, but the result stays attached to the autograd graph (the
     * vector-Jacobian products are taken with {@code create_graph}), so that a log-likelihood can be
     * differentiated with respect to what F depends on besides x (a condition π).
     *
     * @throws UnsupportedOperationException for an estimator that cannot
     */
    default Tensor differentiableDivergence(Tensor fx, Tensor x) {
      throw new UnsupportedOperationException(this + " gives no differentiable divergence");
    }

    /** Whether {@link #divergence(JacobianProduct)} is available (the built-in estimators: yes). */
    default boolean supportsJacobianProducts() {
      return false;
    }

    /**
     * tr(∂F/∂x) per sample, {@code [B]}, from Jacobian-vector products (forward mode) instead of
     * vector-Jacobian products. The result carries no graph.
     *
     * @throws UnsupportedOperationException when {@link #supportsJacobianProducts()} is false
     */
    default Tensor divergence(JacobianProduct jvp) {
      throw new UnsupportedOperationException(this + " computes divergences only from vector-Jacobian products");
    }

    /** Releases what the estimator holds (its probes). */
    @Override
    default void close() {}
  }

  /**
   * v ↦ (∂F/∂x) v for a batch at one point of the path: the forward-mode view of the field that a
   * {@link Estimator} differentiates. Tangents and products are {@code [K, B, D]} (K tangents of the
   * flattened states {@code [B, D]}).
   */
  @FunctionalInterface
  interface JacobianProduct {
    /** (∂F/∂x) v_k for each of the K tangents, {@code [K, B, D]}. */
    Tensor apply(Tensor tangents);
  }

  /**
   * This divergence with whatever it draws fixed for blocks of {@code rows} states of {@code dimension}
   * values, drawn now from {@code generator}: itself for a deterministic divergence (the default),
   * {@link #fixedProbes} for Hutchinson's.
   */
  default Divergence fixedFor(long rows, long dimension, Generator generator) {
    return this;
  }

  /** The exact trace from D vector-Jacobian products. */
  static Divergence exact() {
    return new Exact();
  }

  /** Hutchinson's estimator with {@code probes} Rademacher probes. */
  static Divergence hutchinson(int probes) {
    return new Hutchinson(Hutchinson.Probe.RADEMACHER, probes);
  }

  /**
   * Hutchinson's estimator with fixed Rademacher probes, one set per row of a block of {@code rows} states:
   * the probes are drawn once from {@code generator} ({@code [probes, rows, D]}) and a batch of M·rows
   * states (M blocks, block-major) uses them for every block, so the estimate of state i of a block is the
   * same function of that state in every call. A log-likelihood with these probes is a deterministic
   * function of the states and conditions (what an MCMC target needs), as if the same row were always
   * evaluated with the same probes.
   */
  static Divergence fixedProbes(int probes, long rows, long dimension, Generator generator) {
    return new FixedProbes(Hutchinson.Probe.RADEMACHER, probes, rows, dimension, generator);
  }

  /** The names {@link #parse} accepts. */
  java.util.List<String> NAMES = java.util.List.of("exact", "hutchinson");

  /**
   * Parses {@code exact} or {@code hutchinson} (any case; the latter with {@code probes} Rademacher
   * probes; {@code probes} is ignored for {@code exact}).
   *
   * @throws org.sbgm.InvalidInputException for another name, or fewer than 1 probe for hutchinson
   */
  static Divergence parse(String name, int probes) {
    switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "exact": return exact();
      case "hutchinson": return hutchinson(probes);
      default: throw new org.sbgm.InvalidInputException("the divergence must be exact or hutchinson, got "
          + (name == null ? "nothing" : "'" + name + "'"));
    }
  }
}
