package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;

/**
 * A score and its Jacobian-vector products from one forward-mode pass.
 *
 * @param score s(x, t | condition), shaped like x ({@code [B, ...]})
 * @param jvp (∂s/∂x) v_k for each tangent v_k, {@code [K, B, ...]}
 */
public record ScoreTangents(Tensor score, Tensor jvp) {}
