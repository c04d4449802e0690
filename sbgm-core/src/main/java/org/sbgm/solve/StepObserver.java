package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * Sees every accepted step (for progress bars, logging, diagnostics). The tensor is only valid
 * during the call; clone it (and keep it alive) to store it.
 */
@FunctionalInterface
public interface StepObserver {
  /**
   * Called after each accepted step.
   *
   * @param t the time reached
   * @param y the state at {@code t}
   * @param dt the signed step just taken
   */
  void handleStep(double t, Tensor y, double dt);
}
