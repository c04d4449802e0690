package org.sbgm.likelihood;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The exact divergence tr(∂F/∂x) = Σ_i ∂F_i/∂x_i from D vector-Jacobian products e_iᵀ J, one per
 * dimension, through {@code torch::autograd::grad} (parameter gradients are left untouched).
 * Cost: D backward passes per evaluation, so it suits low-dimensional data; use
 * {@link Hutchinson} for images.
 */
public final class Exact implements Divergence {
  @Override
  public Estimator begin(Tensor xFlat, Generator generator) {
    return Exact::trace;
  }

  static Tensor trace(Tensor fx, Tensor x) {
    long d = x.size(1);
    Tensor total = null;
    for (long i = 0; i < d; i++) {
      Tensor fi = fx.select(1, i).sum();
      TensorVector g = torch.grad(new TensorVector(fi), new TensorVector(x), new TensorVector(),
          new BoolOptional(i < d - 1), false, false);
      Tensor dii = g.get(0).select(1, i);
      total = total == null ? dii : total.add(dii);
    }
    return total.detach();
  }

  @Override
  public String toString() {
    return "exact";
  }
}
