package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * Chooses step sizes. A controller is immutable configuration; {@link #begin} returns the mutable
 * per-integration state ({@link Run}). It never sees the solver, only the numbers a step produced:
 * the candidate state, the error estimate and the power of h in that estimate.
 *
 * <p>Step sizes exchanged with a {@link Run} are magnitudes (positive); the {@link Integrator} applies
 * the direction of integration. A controller that walks given grid points names the next one exactly
 * ({@link Run#nextTime}), so the grid is not blurred by rounding. The integrator may shorten a proposed
 * step to land exactly on a save time or on t₁; the run is then told the step actually taken.
 *
 * <p>Implementations: {@link ConstantStep} (t0 + k h), {@link StepTo} (any monotone grid) and
 * {@link PidController} (adaptive, from the solver's error estimate).
 */
public interface StepSizeController {

  /** True when the controller needs the solver's embedded error estimate. */
  boolean isAdaptive();

  /**
   * Starts one integration over [t0, t1] (or [t1, t0] backwards).
   *
   * @param t0 the initial time
   * @param t1 the final time
   * @param errorOrder the power of h in the solver's local error estimate (min(p, p̂) + 1; for
   *     non-adaptive use, the solver's order + 1)
   */
  Run begin(double t0, double t1, int errorOrder);

  /** The per-integration state of a controller. */
  interface Run {
    /**
     * The magnitude of the first step. May evaluate {@code f} (for example Hairer's starting-step
     * algorithm); the integrator counts those evaluations.
     *
     * @param f the vector field
     * @param y0 the initial state
     * @param f0 F(t0, y0), already evaluated
     */
    double initialStep(VectorField f, Tensor y0, Tensor f0);

    /**
     * Judges one attempted step.
     *
     * @param t the step's start time
     * @param h the signed step actually attempted
     * @param y0 the state at t
     * @param y1 the candidate state at t + h
     * @param error the solver's error estimate, or null when it has none
     * @return accept or reject, and the magnitude of the next step to try
     */
    Decision adapt(double t, double h, Tensor y0, Tensor y1, Tensor error);

    /**
     * The exact end of the next step from {@code t}, when the controller steps onto given grid points;
     * NaN (the default) to step to t ± the proposed magnitude.
     */
    default double nextTime(double t) {
      return Double.NaN;
    }
  }

  /**
   * The verdict on one step.
   *
   * @param accept whether the candidate state is accepted
   * @param nextStep the magnitude of the next step to try (from t + h if accepted, else from t again)
   * @param failure null, or one sentence saying why integration cannot go on (e.g. the step fell below dtmin)
   */
  record Decision(boolean accept, double nextStep, String failure) {
    /** Accept and continue with {@code nextStep}. */
    public static Decision accept(double nextStep) {
      return new Decision(true, nextStep, null);
    }

    /** Reject and retry with {@code nextStep}. */
    public static Decision reject(double nextStep) {
      return new Decision(false, nextStep, null);
    }

    /** Stop: integration cannot continue, for the stated reason. */
    public static Decision fail(String reason) {
      return new Decision(false, Double.NaN, reason);
    }
  }
}
