package org.sbgm.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A {@link Network} that also computes Jacobian-vector products with respect to x in forward mode:
 * with y = F(x, t, π, image), one pass returns y and ẏ_k = (∂y/∂x) v_k for K tangents v_k, without an
 * autograd graph. Forward mode propagates (h, ḣ) through each layer: a linear layer maps
 * ḣ ↦ W ḣ (no bias), a pointwise activation maps ḣ ↦ act'(z) ⊙ ż, and the tangents of t, π and the
 * image are zero. The K tangents share each layer's weights, so they go through it as one matrix
 * product. Costs about (1 + K) forward passes and no stored graph, against one forward and K backward
 * passes plus the graph for K vector-Jacobian products.
 */
public interface TangentNetwork extends Network {
  /**
   * The output F(x, t, π, image) (as {@link #forward}) and its directional derivatives along x.
   * Grad mode is ignored: nothing is recorded for autograd and the results carry no graph.
   *
   * @param tangents {@code [K, B, ...]}: K tangents, each shaped like x ({@code [B, ...]})
   * @return the output, shaped like x, and the products (∂F/∂x) v_k, shaped like {@code tangents}
   */
  Tangents forwardWithTangents(Tensor x, Tensor t, Tensor parameters, Tensor image, Tensor tangents);

  /**
   * Whether {@link #forwardWithTangents} can run in the network's present state (for example not in
   * training mode with random dropout masks); callers fall back to autograd when it cannot.
   */
  default boolean tangentsAvailable() {
    return true;
  }
}
