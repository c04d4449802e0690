package org.sbgm.data;

import org.bytedeco.pytorch.Tensor;

/**
 * An invertible map y = T(x) applied to each sample of a batch {@code [B, ...]}, with the log
 * absolute determinant of its Jacobian, so that densities transform by the change of variables
 * <pre>  log p_x(x) = log p_y(T(x)) + log |det ∂T/∂x (x)|.</pre>
 * A model fitted to y = T(x) therefore yields the log-likelihood of the raw data x by adding
 * {@link #logAbsDetJacobian}; see {@link BitsPerDim}.
 */
public interface Transform {
  /** y = T(x), shaped like x. */
  Tensor forward(Tensor x);

  /** x = T⁻¹(y), shaped like y. */
  Tensor inverse(Tensor y);

  /** log |det ∂T/∂x| at each sample of x (before the map), shape {@code [B]}. */
  Tensor logAbsDetJacobian(Tensor x);

  /** This transform followed by {@code next}. */
  default Transform andThen(Transform next) {
    return new Compose(java.util.List.of(this, next));
  }
}
