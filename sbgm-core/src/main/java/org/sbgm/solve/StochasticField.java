package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * The coefficients of an Itô SDE dy = f(t, y) dt + g(t, y) dW over a batched state, with diagonal
 * (elementwise) noise: W has the shape of y and g multiplies dW entrywise after broadcasting. The drift
 * is the {@link VectorField} part ({@link #at}), so an ODE solver applied to a stochastic field
 * integrates its drift dy/dt = f.
 */
public interface StochasticField extends VectorField {
  /** The drift f(t, y), shaped like {@code y}. */
  @Override
  Tensor at(double t, Tensor y);

  /**
   * The diffusion g(t, y): a tensor broadcastable to {@code y}, e.g. shaped like y, [B, 1, ..., 1]
   * or a 0-dimensional scalar g(t).
   */
  Tensor diffusion(double t, Tensor y);
}
