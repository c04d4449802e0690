package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/** The right-hand side dy/dt = F(t, y) of an ODE over a batched state of any shape. */
@FunctionalInterface
public interface VectorField {
  /** F(t, y), shaped like {@code y}. */
  Tensor at(double t, Tensor y);
}
