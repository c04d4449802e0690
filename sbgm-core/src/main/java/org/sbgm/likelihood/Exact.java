package org.sbgm.likelihood;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * The exact divergence tr(∂F/∂x) = Σ_i ∂F_i/∂x_i, either from D vector-Jacobian products e_iᵀ J, one per
 * dimension, through {@code torch::autograd::grad} (parameter gradients are left untouched), or from D
 * Jacobian-vector products J e_i in forward mode, {@value #GROUP} basis tangents per pass. Cost: D
 * backward (or tangent) passes per evaluation, so it suits low-dimensional data; use {@link Hutchinson}
 * for images.
 */
public final class Exact implements Divergence {
  /** At most this many basis tangents go through one forward-mode pass (bounds the memory for large D). */
  static final int GROUP = 16;

  @Override
  public Estimator begin(Tensor xFlat, Generator generator) {
    long b = xFlat.size(0);
    long d = xFlat.size(1);
    List<Tensor> groups = basisGroups(b, d, xFlat.options());
    return new Estimator() {
      @Override
      public Tensor divergence(Tensor fx, Tensor x) {
        return trace(fx, x, false);
      }

      @Override
      public Tensor differentiableDivergence(Tensor fx, Tensor x) {
        return trace(fx, x, true);
      }

      @Override
      public boolean supportsJacobianProducts() {
        return true;
      }

      @Override
      public Tensor divergence(JacobianProduct jvp) {
        return traceFromProducts(jvp, groups);
      }

      @Override
      public void close() {
        groups.forEach(Tensor::releaseReference);
        groups.clear(); // a second close releases nothing
      }
    };
  }

  /**
   * The basis tangents e_0 … e_{D-1} for every sample, in groups of at most {@link #GROUP}: group g is
   * rows gG … gG+k-1 of the identity broadcast over the batch, {@code [k, B, D]} (retained; made once
   * per likelihood evaluation, not per evaluation of the field).
   */
  static List<Tensor> basisGroups(long b, long d, TensorOptions options) {
    List<Tensor> groups = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      Tensor eye = torch.eye(d, options);
      for (long start = 0; start < d; start += GROUP) {
        long k = Math.min(GROUP, d - start);
        groups.add(Torch.retain(eye.narrow(0, start, k).unsqueeze(1).expand(k, b, d)));
      }
    }
    return groups;
  }

  /** Σ_i (J e_i)_i from the products of the basis groups of {@link #basisGroups}. */
  static Tensor traceFromProducts(JacobianProduct jvp, List<Tensor> groups) {
    Tensor total = null;
    long start = 0;
    for (Tensor basis : groups) {
      long k = basis.size(0);
      Tensor products = jvp.apply(basis);
      // (J e_{start+j})_{start+j}: the diagonal of the [k, B, k] block of products
      Tensor diag = torch.diagonal(products.narrow(2, start, k), 0, 0, 2).sum(1);
      total = total == null ? diag : total.add(diag);
      start += k;
    }
    return total;
  }

  /** Σ_i ∂F_i/∂x_i from D vector-Jacobian products; with {@code createGraph} the result keeps its graph. */
  static Tensor trace(Tensor fx, Tensor x, boolean createGraph) {
    long d = x.size(1);
    Tensor total = null;
    for (long i = 0; i < d; i++) {
      Tensor fi = fx.select(1, i).sum();
      TensorVector g = torch.grad(new TensorVector(fi), new TensorVector(x), new TensorVector(),
          new BoolOptional(createGraph || i < d - 1), createGraph, false);
      Tensor dii = g.get(0).select(1, i);
      total = total == null ? dii : total.add(dii);
    }
    return createGraph ? total : total.detach();
  }

  @Override
  public String toString() {
    return "exact";
  }
}
