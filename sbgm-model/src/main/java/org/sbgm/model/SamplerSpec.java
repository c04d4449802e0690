package org.sbgm.model;

import java.util.List;
import java.util.Locale;
import org.sbgm.InvalidInputException;
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
 * A sampler by name and settings, as a user chooses it: {@code em} (Euler–Maruyama on the reverse SDE,
 * default 1000 steps), {@code heun-sde} (stochastic Heun on the reverse SDE, default 500 steps),
 * {@code pc} (predictor–corrector with one Langevin corrector step of signal-to-noise ratio 0.16,
 * default 500 steps) or {@code ode} (the probability-flow ODE: adaptive Dopri5 with rtol/atol, default
 * 1e-5, or RK4 with a fixed number of steps). All integrate from T down to ε = {@value #EPSILON}.
 *
 * @param name the sampler's name
 * @param steps the number of steps, or null for the sampler's default (and for adaptive ode)
 * @param rtol ode only: the relative tolerance, or null
 * @param atol ode only: the absolute tolerance, or null
 * @param maxSteps adaptive ode only: the most steps (accepted plus rejected) before the solve fails naming t
 *     and the NFE, or null for {@value #DEFAULT_MAX_STEPS}
 */
public record SamplerSpec(String name, Integer steps, Double rtol, Double atol, Integer maxSteps) {
  /** The default step limit of the adaptive ode sampler. */
  public static final int DEFAULT_MAX_STEPS = 100_000;
  /** The sampler names. */
  public static final List<String> NAMES = List.of("em", "heun-sde", "pc", "ode");
  /** The time at which sampling stops. */
  public static final double EPSILON = 1e-3;

  /** Checks the combination of settings. */
  public SamplerSpec {
    name = name == null ? "ode" : name.trim().toLowerCase(Locale.ROOT);
    if (!NAMES.contains(name)) {
      throw new InvalidInputException("sampler must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
    }
    if (steps != null && steps < 1) {
      throw new InvalidInputException("steps must be at least 1, got " + steps);
    }
    if (!name.equals("ode") && (rtol != null || atol != null)) {
      throw new InvalidInputException("rtol and atol apply only to the ode sampler; " + name + " takes steps");
    }
    if (name.equals("ode") && steps != null && (rtol != null || atol != null)) {
      throw new InvalidInputException("give the ode sampler either steps (fixed RK4 steps) or rtol and atol (adaptive "
          + "Dopri5), not both");
    }
    LikelihoodSpec.checkTolerance("rtol", rtol);
    LikelihoodSpec.checkTolerance("atol", atol);
    if (maxSteps != null && (!name.equals("ode") || steps != null)) {
      throw new InvalidInputException("max steps apply only to the adaptive ode sampler; " + name
          + (steps != null ? " with steps takes exactly " + steps : " takes exactly its steps"));
    }
    if (maxSteps != null && maxSteps < 1) {
      throw new InvalidInputException("max steps must be at least 1, got " + maxSteps);
    }
  }

  /** A sampler without a step limit of its own (the default {@value #DEFAULT_MAX_STEPS} for adaptive ode). */
  public SamplerSpec(String name, Integer steps, Double rtol, Double atol) {
    this(name, steps, rtol, atol, null);
  }

  /** The sampler {@code name} with its defaults. */
  public static SamplerSpec of(String name) {
    return new SamplerSpec(name, null, null, null);
  }

  /** A short description, e.g. "ode (dopri5, rtol=1e-05, atol=1e-05)". */
  public String describe() {
    if (name.equals("ode")) {
      return steps != null ? "ode (rk4, " + steps + " steps)"
          : String.format(Locale.ROOT, "ode (dopri5, rtol=%.0e, atol=%.0e)", rtolOr(), atolOr());
    }
    return name + " (" + stepsOr() + " steps)";
  }

  /** The number of steps, with the sampler's default. */
  public int stepsOr() {
    return steps != null ? steps : switch (name) {
      case "em" -> 1000;
      case "ode" -> 100;
      default -> 500;
    };
  }

  private double rtolOr() {
    return rtol == null ? 1e-5 : rtol;
  }

  private double atolOr() {
    return atol == null ? 1e-5 : atol;
  }

  /** True when the sampler takes a fixed number of steps (else it adapts its steps to the tolerances). */
  public boolean fixedSteps() {
    return !name.equals("ode") || steps != null;
  }

  /** The sampler in float32, reporting each step to {@code observer} (null for none). */
  public Sampler create(StepObserver observer) {
    return create(observer, DType.FLOAT32);
  }

  /** The sampler computing in {@code dtype}, reporting each step to {@code observer} (null for none). */
  public Sampler create(StepObserver observer, DType dtype) {
    switch (name) {
      case "em":
        return new EulerMaruyama(stepsOr(), EPSILON, TimeGrid.uniform(), dtype, observer);
      case "heun-sde":
        return new org.sbgm.sample.StochasticHeun(stepsOr(), EPSILON, TimeGrid.uniform(), dtype, observer);
      case "pc":
        return new PredictorCorrector(stepsOr(), 1, 0.16, EPSILON, TimeGrid.uniform(), dtype, observer);
      default:
        if (steps != null) {
          return new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(steps), EPSILON, steps + 10, dtype,
              observer);
        }
        return new ProbabilityFlow(ExplicitRungeKutta.dopri5(), PidController.of(rtolOr(), atolOr()), EPSILON,
            maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps, dtype, observer);
    }
  }
}
