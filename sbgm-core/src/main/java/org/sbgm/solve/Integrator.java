package org.sbgm.solve;

import static org.sbgm.solve.Ownership.release;
import static org.sbgm.solve.Ownership.retain;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * The one integration loop, where a field, a {@link Solver}, a {@link StepSizeController}, a
 * {@link SaveAt} and (for stochastic solvers) a {@link BrownianMotion} meet, as in diffrax's
 * {@code diffeqsolve}: none of them references another. ODE and SDE solves, samplers and
 * likelihoods all run through it, so counting, checking and memory handling exist once.
 *
 * <p>The loop: when the solver uses a first stage, evaluate F(t0, y0) once; ask the controller for the
 * first step; then repeatedly try a step to the controller's next time, shortened to land exactly on
 * the next save time or on t1; the controller accepts or rejects it and proposes the next. Time runs
 * forwards when t1 &gt; t0 and backwards when t1 &lt; t0. For stochastic solvers each step gets its
 * noise, drawn from the generator in the order the step asks for it; with
 * {@link BrownianMotion#noiseOnLastStep()} false the step that reaches t1 gets no Brownian increment
 * and returns its mean. A stochastic step is never split at a save time (that would change the sampled
 * path): save times must be times the controller steps to.
 *
 * <p>Counting: NFE is the sum of the evaluations each step reports, plus F(t0, y0) and any the
 * controller spends choosing the first step. Memory: every attempted step runs in its own
 * {@link PointerScope}; the accepted state (and the FSAL stage) is retained past it and the previous
 * one released, so native memory stays flat; the results are handed to the scope open around the call.
 *
 * <p>Failures throw {@link IntegrationException} naming t and the NFE: more than {@code maxSteps}
 * attempted steps (accepted plus rejected), a non-finite state (at once for a fixed-step controller;
 * for an adaptive one after the shrinking steps can no longer move t), or a step size below the
 * controller's minimum. Inconsistent arguments throw {@link InvalidInputException}.
 */
public final class Integrator {
  private Integrator() {}

  /** Solves an ODE without an observer; see {@link #solve(VectorField, Tensor, double, double, Solver, StepSizeController, BrownianMotion, SaveAt, int, StepObserver)}. */
  public static <F extends VectorField> Solution solve(F field, Tensor y0, double t0, double t1, Solver<? super F> solver,
      StepSizeController controller, SaveAt saveAt, int maxSteps) {
    return solve(field, y0, t0, t1, solver, controller, null, saveAt, maxSteps, null);
  }

  /** Solves an ODE (a solver that draws no noise); see {@link #solve(VectorField, Tensor, double, double, Solver, StepSizeController, BrownianMotion, SaveAt, int, StepObserver)}. */
  public static <F extends VectorField> Solution solve(F field, Tensor y0, double t0, double t1, Solver<? super F> solver,
      StepSizeController controller, SaveAt saveAt, int maxSteps, StepObserver observer) {
    return solve(field, y0, t0, t1, solver, controller, null, saveAt, maxSteps, observer);
  }

  /**
   * Integrates the field from (t0, y0) to t1.
   *
   * @param field the vector field (for stochastic solvers a {@link StochasticField})
   * @param y0 the initial state, any shape [B, ...], float32 or float64 (not modified)
   * @param t0 the initial time
   * @param t1 the final time (before t0 to integrate backwards)
   * @param solver the method
   * @param controller the step-size controller (adaptive ones need a solver with an error estimate)
   * @param noise the Brownian motion for solvers that {@linkplain Solver#needsNoise() need noise}; else
   *     null (ignored when given)
   * @param saveAt which states to return
   * @param maxSteps the most steps (accepted plus rejected) to attempt
   * @param observer called after each accepted step, or null
   * @return the final state, the saved states and the counters
   * @throws IntegrationException when the integration cannot reach t1
   * @throws InvalidInputException when the arguments do not fit together
   */
  public static <F extends VectorField> Solution solve(F field, Tensor y0, double t0, double t1, Solver<? super F> solver,
      StepSizeController controller, BrownianMotion noise, SaveAt saveAt, int maxSteps, StepObserver observer) {
    if (field == null || y0 == null || solver == null || controller == null || saveAt == null) {
      throw new IllegalArgumentException("Integrator.solve needs a field, an initial state, a solver, a controller and a SaveAt; one was null.");
    }
    check(t0, t1, solver, controller, noise, maxSteps);
    Solver<? super F> active = solver.begin(t0, t1);
    try {
      return run(field, y0, t0, t1, active, controller, noise, saveAt, maxSteps, observer);
    } finally {
      active.end();
    }
  }

  @SuppressWarnings("try")
  private static <F extends VectorField> Solution run(F field, Tensor y0, double t0, double t1, Solver<? super F> solver,
      StepSizeController controller, BrownianMotion noise, SaveAt saveAt, int maxSteps, StepObserver observer) {
    Torch.init();
    double[] saveTs = saveAt.resolve(t0, t1);
    long[] nfe = {0};
    PointerScope outer = PointerScope.getInnerScope();
    List<Tensor> saved = new ArrayList<>();
    Tensor y = null;
    Tensor k1 = null;
    boolean done = false;
    try {
      try (PointerScope s = new PointerScope()) {
        y = retain(y0.clone());
      }
      int next = 0;
      while (next < saveTs.length && saveTs[next] == t0) {
        saved.add(retain(y));
        next++;
      }
      int accepted = 0;
      int rejected = 0;
      if (t0 != t1) {
        StepSizeController.Run run = controller.begin(t0, t1, solver.errorOrder());
        double direction = Math.signum(t1 - t0);
        double dtMag;
        try (PointerScope s = new PointerScope()) {
          Tensor f0 = null;
          if (solver.usesFirstStage()) {
            f0 = field.at(t0, y);
            nfe[0]++;
            if (!Torch.allFinite(f0)) {
              throw new IntegrationException("The vector field is non-finite (NaN or infinity) at the initial state", t0, nfe[0]);
            }
          }
          VectorField counted = (t, x) -> {
            nfe[0]++;
            return field.at(t, x);
          };
          dtMag = run.initialStep(counted, y, f0);
          k1 = f0 == null ? null : retain(f0);
        }
        double t = t0;
        boolean lastNonFinite = false;
        while (t != t1) {
          if (accepted + rejected >= maxSteps) {
            throw new IntegrationException("maxSteps = " + maxSteps + " steps were attempted (" + accepted + " accepted, "
                + rejected + " rejected) before reaching t1 = " + t1, t, nfe[0]);
          }
          double stop = next < saveTs.length ? saveTs[next] : t1;
          double target = run.nextTime(t);
          double tNext = Double.isNaN(target) ? t + direction * dtMag : target;
          if (direction * (stop - tNext) <= 1e-9 * dtMag) {
            if (solver.needsNoise() && stop != t1 && direction * (tNext - stop) > 1e-9 * dtMag) {
              throw new InvalidInputException("Save time " + stop + " lies inside the step from " + t + " to " + tNext
                  + "; a stochastic solve saves only at times its controller steps to (points of its time grid).");
            }
            tNext = stop;
          }
          double h = tNext - t;
          if (!(dtMag > 0) || h == 0 || t + h == t) {
            throw new IntegrationException("The step size " + dtMag + " is too small to advance t"
                + (lastNonFinite ? "; the last attempted step produced a non-finite state (NaN or infinity)" : ""), t, nfe[0]);
          }
          try (PointerScope s = new PointerScope()) {
            StepNoise stepNoise = solver.needsNoise()
                ? new GeneratorNoise(y, h, noise.generator(), noise.noiseOnLastStep() || tNext != t1) : null;
            Step step = solver.step(field, t, tNext, y, k1, stepNoise);
            nfe[0] += step.evaluations();
            boolean finite = Torch.allFinite(step.y());
            if (!finite && !controller.isAdaptive()) {
              throw new IntegrationException("The state became non-finite (NaN or infinity) in the " + solver + " step from t = "
                  + t + " to " + tNext, t, nfe[0]);
            }
            StepSizeController.Decision d = run.adapt(t, h, y, step.y(), step.error());
            if (d.failure() != null) {
              throw new IntegrationException("Integration stopped: " + d.failure()
                  + (lastNonFinite || !finite ? "; the last attempted step produced a non-finite state (NaN or infinity)" : ""), t, nfe[0]);
            }
            if (d.accept() && !finite) {
              throw new IntegrationException("The state became non-finite (NaN or infinity) in the step of size " + h, t, nfe[0]);
            }
            if (d.accept()) {
              Tensor yNew = retain(step.y());
              Tensor kNew = step.lastStage() == null ? null : retain(step.lastStage());
              release(y);
              release(k1);
              y = yNew;
              k1 = kNew;
              t = tNext;
              accepted++;
              lastNonFinite = false;
              while (next < saveTs.length && saveTs[next] == t) {
                saved.add(retain(y));
                next++;
              }
              if (observer != null) {
                observer.handleStep(t, y, h);
              }
            } else {
              rejected++;
              lastNonFinite = !finite;
              if (k1 == null && step.firstStage() != null) {
                k1 = retain(step.firstStage());
              }
            }
            dtMag = d.nextStep();
          }
        }
      }
      Solution sol = new Solution(y, saveTs, saved, nfe[0], accepted, rejected, Solution.Status.SUCCESS);
      done = true;
      release(k1);
      Ownership.handOver(outer, y, saved);
      return sol;
    } finally {
      if (!done) {
        release(y);
        release(k1);
        for (Tensor s : saved) {
          release(s);
        }
      }
    }
  }

  private static void check(double t0, double t1, Solver<?> solver, StepSizeController controller, BrownianMotion noise,
      int maxSteps) {
    if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
      throw new InvalidInputException("The integration interval must be finite, got [" + t0 + ", " + t1 + "].");
    }
    if (maxSteps < 1) {
      throw new InvalidInputException("maxSteps must be at least 1, got " + maxSteps + ".");
    }
    if (controller.isAdaptive() && !solver.hasErrorEstimate()) {
      throw new InvalidInputException("The adaptive controller needs an error estimate, but solver " + solver
          + " has none; use Heun, Bosh3, Dopri5 or Tsit5, or a fixed-step controller (ConstantStep, StepTo).");
    }
    if (solver.needsNoise() && noise == null) {
      throw new InvalidInputException("The solver " + solver + " draws Brownian increments; give a BrownianMotion with a Generator.");
    }
    if (!solver.advancesTime()) {
      throw new InvalidInputException("The solver " + solver + " is a corrector that stays at t0; run it in a CorrectedSolver with a predictor.");
    }
  }
}
