package org.sbgm.likelihood;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * Hutchinson's trace estimator tr(J) = E[vᵀ J v] for probes with E[v vᵀ] = I (Hutchinson 1989;
 * used for likelihoods by FFJORD, Grathwohl et al. 2018, arXiv 1810.01367). Each probe costs one
 * vector-Jacobian product; the estimate averages {@code probes} probes, drawn once per likelihood
 * evaluation and fixed along the ODE path. Rademacher probes (±1) have the smaller variance
 * (2 Σ_{i≠j} J_ij² versus 2‖J‖_F² for Gaussian ones).
 */
public final class Hutchinson implements Divergence {
  /** The distribution of the probe entries. */
  public enum Probe { GAUSSIAN, RADEMACHER }

  private final Probe probe;
  private final int probes;

  public Hutchinson(Probe probe, int probes) {
    if (probes < 1) {
      throw new org.sbgm.InvalidInputException("the number of Hutchinson probes must be at least 1, got " + probes);
    }
    this.probe = java.util.Objects.requireNonNull(probe, "probe");
    this.probes = probes;
  }

  public Probe probe() {
    return probe;
  }

  public int probes() {
    return probes;
  }

  @Override
  public Estimator begin(Tensor xFlat, Generator generator) {
    if (generator == null) {
      throw new IllegalArgumentException("Hutchinson's estimator needs a Generator for its probes");
    }
    return estimator(draw(probe, probes, xFlat, generator), probes);
  }

  /** {@code probes} probes shaped like {@code like} ({@code [B, D]}), drawn one after another: {@code [K, B, D]}, retained. */
  static Tensor draw(Probe probe, int probes, Tensor like, Generator generator) {
    try (PointerScope scope = new PointerScope()) {
      TensorVector vs = new TensorVector();
      for (int k = 0; k < probes; k++) {
        if (probe == Probe.GAUSSIAN) {
          vs.push_back(Torch.randnLike(like, generator));
        } else {
          vs.push_back(torch.bernoulli(Torch.full(Torch.shape(like), 0.5, like),
              new org.bytedeco.pytorch.GeneratorOptional(generator)).mul(Torch.scalar(2)).sub(Torch.scalar(1)));
        }
      }
      return Torch.retain(torch.stack(vs, 0));
    }
  }

  /** The estimator over the probes {@code stacked} ([K, B, D], retained; released by close()). */
  static Estimator estimator(Tensor stacked, int probes) {
    return new Estimator() {
      private boolean closed;

      @Override
      public boolean supportsJacobianProducts() {
        return true;
      }

      @Override
      public Tensor divergence(JacobianProduct jvp) {
        // vₖᵀ (J vₖ) per sample, averaged over the probes
        return jvp.apply(stacked).mul(stacked).sum(2).mean(0);
      }

      @Override
      public Tensor divergence(Tensor fx, Tensor x) {
        return vjpEstimate(fx, x, false);
      }

      @Override
      public Tensor differentiableDivergence(Tensor fx, Tensor x) {
        return vjpEstimate(fx, x, true);
      }

      private Tensor vjpEstimate(Tensor fx, Tensor x, boolean createGraph) {
        Tensor total = null;
        for (int k = 0; k < probes; k++) {
          Tensor v = stacked.select(0, k);
          // vᵀJ directly as the vector-Jacobian product with cotangent v (no v·F graph to build and differentiate)
          TensorVector g = torch.grad(new TensorVector(fx), new TensorVector(x), new TensorVector(v),
              new BoolOptional(createGraph || k < probes - 1), createGraph, false);
          Tensor est = Torch.sumPerSample(g.get(0).mul(v));
          total = total == null ? est : total.add(est);
        }
        Tensor mean = probes == 1 ? total : total.div(Torch.scalar(probes));
        return createGraph ? mean : mean.detach();
      }

      @Override
      public void close() {
        if (!closed) {
          stacked.releaseReference();
          closed = true;
        }
      }
    };
  }

  /** Hutchinson's estimator with its probes drawn once for blocks of {@code rows} states ({@link Divergence#fixedProbes}). */
  @Override
  public Divergence fixedFor(long rows, long dimension, Generator generator) {
    return new FixedProbes(probe, probes, rows, dimension, generator);
  }

  @Override
  public String toString() {
    return "hutchinson(" + probe.name().toLowerCase(java.util.Locale.ROOT) + ", " + probes + ")";
  }
}
