package org.sbgm.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A network output and its Jacobian-vector products from one forward-mode pass.
 *
 * @param output F(x, ...), shaped like x ({@code [B, ...]})
 * @param jvp (∂F/∂x) v_k for each tangent v_k, {@code [K, B, ...]}
 */
public record Tangents(Tensor output, Tensor jvp) {}
