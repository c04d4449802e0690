package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * What one {@link Solver#step} produced. The tensors belong to the pointer scope that was open during
 * the step; the {@link Integrator} retains what it keeps.
 *
 * @param y the candidate state at t1 (for a corrector, the moved state at t0)
 * @param error the local error estimate (for Runge–Kutta pairs y₁ − ŷ₁), or null for methods without one
 * @param firstStage the F(t0, y) the step used, when the solver reuses it after a rejection; else null
 * @param lastStage F(t1, y₁) when the method is FSAL (the next step's first stage); else null
 * @param evaluations how many times the step evaluated the field (drift, or score for a corrector)
 */
public record Step(Tensor y, Tensor error, Tensor firstStage, Tensor lastStage, int evaluations) {
  /** A step of a method without error estimate or reusable stages. */
  public static Step of(Tensor y, int evaluations) {
    return new Step(y, null, null, null, evaluations);
  }
}
