package org.sbgm.solve;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The one entry point where a vector field, a solver, a step-size controller and a {@link SaveAt}
 * meet (the diffrax {@code diffeqsolve} design: none of them references another).
 *
 * <p>The loop: evaluate F(t0, y0) (the first stage of the first step), ask the controller for the
 * first step, then repeatedly try a step of the controller's size, shortened to land exactly on the
 * next save time or on t1; the controller accepts or rejects it and proposes the next size. Time runs
 * forwards when t1 &gt; t0 and backwards when t1 &lt; t0 (the solver then takes negative steps).
 *
 * <p>Memory: every attempted step runs in its own {@link PointerScope}; the accepted state (and the
 * FSAL stage) is retained past it and the previous one released, so native memory stays flat over
 * long integrations. The returned tensors are handed to the scope open around the call, if any.
 *
 * <p>Failures throw {@link IntegrationException} naming t and the NFE: more than {@code maxSteps}
 * attempted steps (accepted plus rejected), a non-finite state (at once for a fixed-step controller;
 * for an adaptive one after the shrinking steps can no longer move t), or a step size below the
 * controller's minimum.
 */
public final class Integrator {
  private Integrator() {}

  /** Solves without an observer; see {@link #solve(VectorField, Tensor, double, double, ExplicitRungeKutta, StepSizeController, SaveAt, int, StepObserver)}. */
  public static Solution solve(VectorField f, Tensor y0, double t0, double t1, ExplicitRungeKutta solver,
      StepSizeController controller, SaveAt saveAt, int maxSteps) {
    return solve(f, y0, t0, t1, solver, controller, saveAt, maxSteps, null);
  }

  /**
   * Integrates dy/dt = F(t, y) from (t0, y0) to t1.
   *
   * @param f the vector field
   * @param y0 the initial state, any shape [B, ...], float32 or float64 (not modified)
   * @param t0 the initial time
   * @param t1 the final time (before t0 to integrate backwards)
   * @param solver the Runge–Kutta method
   * @param controller the step-size controller (adaptive ones need a solver with an error estimate)
   * @param saveAt which states to return
   * @param maxSteps the most steps (accepted plus rejected) to attempt
   * @param observer called after each accepted step, or null
   * @return the final state, the saved states and the counters
   * @throws IntegrationException when the integration cannot reach t1
   */
  @SuppressWarnings("try")
  public static Solution solve(VectorField f, Tensor y0, double t0, double t1, ExplicitRungeKutta solver,
      StepSizeController controller, SaveAt saveAt, int maxSteps, StepObserver observer) {
    if (f == null || y0 == null || solver == null || controller == null || saveAt == null) {
      throw new IllegalArgumentException("Integrator.solve needs a vector field, an initial state, a solver, a controller and a SaveAt; one was null.");
    }
    if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
      throw new IllegalArgumentException("The integration interval must be finite, got [" + t0 + ", " + t1 + "].");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps + ".");
    }
    ButcherTableau tableau = solver.tableau();
    if (controller.isAdaptive() && !tableau.hasErrorEstimate()) {
      throw new IllegalArgumentException("The adaptive controller needs an error estimate, but solver " + tableau.name()
          + " has none; use Heun, Bosh3, Dopri5 or Tsit5, or a ConstantStep controller.");
    }
    Torch.init();
    double[] saveTs = saveAt.resolve(t0, t1);
    long[] nfe = {0};
    VectorField counted = (t, y) -> {
      nfe[0]++;
      return f.at(t, y);
    };
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
        int errorOrder = tableau.hasErrorEstimate() ? tableau.errorOrder() : tableau.order() + 1;
        StepSizeController.Run run = controller.begin(t0, t1, errorOrder);
        double direction = Math.signum(t1 - t0);
        double dtMag;
        try (PointerScope s = new PointerScope()) {
          Tensor f0 = counted.at(t0, y);
          if (!Torch.allFinite(f0)) {
            throw new IntegrationException("The vector field is non-finite (NaN or infinity) at the initial state", t0, nfe[0]);
          }
          dtMag = run.initialStep(counted, y, f0);
          k1 = retain(f0);
        }
        double t = t0;
        boolean lastNonFinite = false;
        while (t != t1) {
          if (accepted + rejected >= maxSteps) {
            throw new IntegrationException("maxSteps = " + maxSteps + " steps were attempted (" + accepted + " accepted, "
                + rejected + " rejected) before reaching t1 = " + t1, t, nfe[0]);
          }
          double stop = next < saveTs.length ? saveTs[next] : t1;
          double tNext = t + direction * dtMag;
          if (direction * (stop - tNext) <= 1e-9 * dtMag) {
            tNext = stop;
          }
          double h = tNext - t;
          if (!(dtMag > 0) || h == 0 || t + h == t) {
            throw new IntegrationException("The step size " + dtMag + " is too small to advance t"
                + (lastNonFinite ? "; the last attempted step produced a non-finite state (NaN or infinity)" : ""), t, nfe[0]);
          }
          try (PointerScope s = new PointerScope()) {
            ExplicitRungeKutta.Step step = solver.step(counted, t, y, h, k1);
            boolean finite = Torch.allFinite(step.y());
            if (!finite && !controller.isAdaptive()) {
              throw new IntegrationException("The state became non-finite (NaN or infinity) in the step of size " + h, t, nfe[0]);
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
              if (k1 == null) {
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
      handOver(outer, y, saved);
      return sol;
    } finally {
      if (!done) {
        release(y);
        release(k1);
        for (Tensor t : saved) {
          release(t);
        }
      }
    }
  }

  static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }

  static void release(Tensor t) {
    if (t != null) {
      t.releaseReference();
    }
  }

  /**
   * Hands the result tensors to the caller. We hold one reference per occurrence of each tensor (the
   * final state is often also a saved state); each distinct tensor ends up owned once: by the scope
   * open around the call if there is one, otherwise by the caller (who may {@code close()} it).
   */
  static void handOver(PointerScope outer, Tensor y, List<Tensor> saved) {
    java.util.Map<Tensor, Integer> held = new java.util.IdentityHashMap<>();
    held.merge(y, 1, Integer::sum);
    for (Tensor t : saved) {
      held.merge(t, 1, Integer::sum);
    }
    for (java.util.Map.Entry<Tensor, Integer> e : held.entrySet()) {
      Tensor t = e.getKey();
      int extra = e.getValue() - 1;
      if (outer != null) {
        outer.attach(t);
        extra++;
      }
      for (int i = 0; i < extra; i++) {
        t.releaseReference();
      }
    }
  }
}
