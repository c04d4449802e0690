package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * One step of a numerical method for a field of type {@code F}: explicit Runge–Kutta methods
 * ({@link ExplicitRungeKutta}, for any {@link VectorField}), {@link EulerMaruyama} and
 * {@link StochasticHeun} (for a {@link StochasticField}), the {@link LangevinCorrector} (for a
 * {@link LangevinField}) and their composition {@link CorrectedSolver}. A solver knows nothing of
 * step-size control, saving, counting, finiteness or memory: it maps (t0, t1, y) to a candidate state
 * and says what that cost; {@link Integrator#solve} is the one loop that does everything else.
 *
 * <p>Solvers are immutable; one instance may serve many integrations and threads. A multistep method,
 * which needs the evaluations of earlier steps, keeps them in a fresh per-integration object that
 * {@link #begin} returns and {@link #end()} releases; the loop calls both, once per integration.
 *
 * @param <F> the kind of field the method needs
 */
public interface Solver<F extends VectorField> {

  /**
   * Takes one step from ({@code t0}, {@code y}) to {@code t1} (t1 &lt; t0 integrates backwards).
   *
   * @param field the vector field (the drift, for stochastic fields)
   * @param t0 the start time
   * @param t1 the end time; h = t1 − t0
   * @param y the state at t0, any shape [B, ...] (not modified)
   * @param firstStage F(t0, y) if the loop already holds it, else null; only given to solvers that
   *     {@linkplain #usesFirstStage() use it}
   * @param noise the step's Brownian increment and extra draws; non-null exactly when
   *     {@link #needsNoise()}
   * @return the candidate state, its error estimate, reusable stages and the evaluations spent
   */
  Step step(F field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise);

  /** Whether the method takes a precomputed first stage F(t0, y) (and may hand back F(t1, y₁) for reuse). */
  default boolean usesFirstStage() {
    return false;
  }

  /** Whether {@link Step#error()} is an embedded error estimate an adaptive controller can use. */
  default boolean hasErrorEstimate() {
    return false;
  }

  /**
   * The power of h in the local error estimate, min(p, p̂) + 1 for a p(p̂) pair; only adaptive
   * controllers read it, so methods without an estimate report their (deterministic) order + 1.
   */
  default int errorOrder() {
    return 2;
  }

  /** Whether the step draws noise (then the loop needs a {@link BrownianMotion}). */
  default boolean needsNoise() {
    return false;
  }

  /**
   * Whether the step moves the state from t0 to t1. A corrector returns a state at t0 (a Markov-chain
   * move that targets p_{t0}); it can only run inside a {@link CorrectedSolver}, never alone in the loop.
   */
  default boolean advancesTime() {
    return true;
  }

  /**
   * The solver that takes the steps of one integration, from {@code t0} to {@code t1}. One-step methods carry nothing between steps but
   * the FSAL stage, which the loop holds, and return themselves (the default). A multistep method
   * returns a fresh object that remembers what its steps evaluated (retaining those tensors past the
   * steps' pointer scopes) until {@link #end()}. Such a method has no error estimate, so it only runs
   * under fixed-step controllers, which accept every step it returns.
   */
  default Solver<F> begin(double t0, double t1) {
    return this;
  }

  /** Called once on the solver {@link #begin} returned when its integration ends, also by an exception: releases its history. */
  default void end() {}
}
