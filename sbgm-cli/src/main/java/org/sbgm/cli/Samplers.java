package org.sbgm.cli;

import java.util.Locale;
import org.sbgm.sample.EulerMaruyama;
import org.sbgm.sample.PredictorCorrector;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.sample.Sampler;
import org.sbgm.sample.TimeGrid;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.PidController;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * The samplers of {@code sbgm sample}: {@code em} (Euler–Maruyama on the reverse SDE, default 1000
 * steps), {@code pc} (predictor–corrector with one Langevin step of SNR 0.16, default 500 steps) and
 * {@code ode} (the probability-flow ODE: adaptive Dopri5 with rtol/atol, default 1e-5, or RK4 with
 * a fixed number of steps). All stop at ε = 1e-3.
 */
final class Samplers {
  static final double EPSILON = 1e-3;

  private Samplers() {}

  /** A validated choice of sampler and its settings. */
  record Choice(String name, Integer steps, Double rtol, Double atol) {
    Choice {
      name = name == null ? "ode" : name.toLowerCase(Locale.ROOT);
      if (!name.equals("em") && !name.equals("pc") && !name.equals("ode")) {
        throw new UserError("--sampler must be em, pc or ode, got '" + name + "'");
      }
      if (steps != null && steps < 1) {
        throw new UserError("--steps must be at least 1, got " + steps);
      }
      if (!name.equals("ode") && (rtol != null || atol != null)) {
        throw new UserError("--rtol and --atol apply only to --sampler ode; em and pc take --steps");
      }
      if (name.equals("ode") && steps != null && (rtol != null || atol != null)) {
        throw new UserError("give --sampler ode either --steps (fixed RK4 steps) or --rtol/--atol (adaptive Dopri5), not both");
      }
      checkTolerance("--rtol", rtol);
      checkTolerance("--atol", atol);
    }

    /** A short description, e.g. "ode (dopri5, rtol=1e-05, atol=1e-05)". */
    String describe() {
      if (name.equals("ode")) {
        return steps != null ? "ode (rk4, " + steps + " steps)"
            : String.format(Locale.ROOT, "ode (dopri5, rtol=%.0e, atol=%.0e)", rtolOr(), atolOr());
      }
      return name + " (" + stepsOr() + " steps)";
    }

    int stepsOr() {
      return steps != null ? steps : name.equals("em") ? 1000 : name.equals("pc") ? 500 : 100;
    }

    double rtolOr() {
      return rtol == null ? 1e-5 : rtol;
    }

    double atolOr() {
      return atol == null ? 1e-5 : atol;
    }

    /** True when progress is measured in fixed steps (else in elapsed time of the ODE). */
    boolean fixedSteps() {
      return !name.equals("ode") || steps != null;
    }

    /** The sampler, reporting each step to {@code observer}. */
    Sampler create(StepObserver observer) {
      switch (name) {
        case "em":
          return new EulerMaruyama(stepsOr(), EPSILON, TimeGrid.uniform(), DType.FLOAT32, observer);
        case "pc":
          return new PredictorCorrector(stepsOr(), 1, 0.16, EPSILON, TimeGrid.uniform(), DType.FLOAT32, observer);
        default:
          if (steps != null) {
            return new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(steps), EPSILON, steps + 10,
                DType.FLOAT32, observer);
          }
          return new ProbabilityFlow(ExplicitRungeKutta.dopri5(), PidController.of(rtolOr(), atolOr()), EPSILON, 100_000,
              DType.FLOAT32, observer);
      }
    }
  }

  static void checkTolerance(String option, Double v) {
    if (v != null && !(v > 0 && v < 1)) {
      throw new UserError(option + " must lie in (0, 1), got " + v);
    }
  }
}
