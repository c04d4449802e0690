package org.sbgm.model;

import java.util.List;
import java.util.Locale;
import org.sbgm.InvalidInputException;
import org.sbgm.sample.Ddim;
import org.sbgm.sample.DpmSolverPlusPlus;
import org.sbgm.sample.EdmHeun;
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
 * A sampler by name and settings, as a user chooses it, the one name → sampler mapping of the CLI:
 * <ul>
 *   <li>{@code em}: Euler–Maruyama on the reverse SDE, default 1000 steps;
 *   <li>{@code heun-sde}: stochastic Heun on the reverse SDE, default 500 steps;
 *   <li>{@code pc}: predictor–corrector with one Langevin corrector step of signal-to-noise ratio 0.16,
 *       default 500 steps;
 *   <li>{@code ode}: the probability-flow ODE, adaptive Dopri5 with rtol/atol (default 1e-5), or RK4
 *       with a fixed number of steps;
 *   <li>{@code ddim}: DDIM, default 50 steps on a grid uniform in t, {@code eta} ∈ [0, 1] (default 0,
 *       deterministic; 1 is ancestral DDPM);
 *   <li>{@code edm-heun}: EDM's Heun sampler, default 18 steps (36 evaluations) on the Karras ρ = 7 grid,
 *       {@code churn} S_churn (default 0, deterministic) with S_tmin, S_tmax, S_noise;
 *   <li>{@code dpm-solver++}: DPM-Solver++(2M), default 20 steps on a log-SNR-uniform grid, {@code eta}
 *       ≥ 0 (default 0; 1 is SDE-DPM-Solver++(2M)).
 * </ul>
 * Every fixed-step sampler takes another time grid by name ({@link TimeGrid#parse}). All integrate from
 * T down to ε = {@value #EPSILON}.
 *
 * @param name the sampler's name
 * @param steps the number of steps, or null for the sampler's default (and for adaptive ode)
 * @param rtol ode only: the relative tolerance, or null
 * @param atol ode only: the absolute tolerance, or null
 * @param eta ddim and dpm-solver++ only: the stochasticity, or null for 0
 * @param churn edm-heun only: S_churn, S_tmin, S_tmax, S_noise, or null for none
 * @param grid a time grid name for the fixed-step samplers, or null for the sampler's default
 * @param maxSteps adaptive ode only: the most steps (accepted plus rejected) before the solve fails naming t
 *     and the NFE, or null for {@value #DEFAULT_MAX_STEPS}
 */
public record SamplerSpec(String name, Integer steps, Double rtol, Double atol, Double eta, EdmHeun.Churn churn,
    String grid, Integer maxSteps) {
  /** The default step limit of the adaptive ode sampler. */
  public static final int DEFAULT_MAX_STEPS = 100_000;
  /** The sampler names. */
  public static final List<String> NAMES = List.of("em", "heun-sde", "pc", "ode", "ddim", "edm-heun", "dpm-solver++");
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
    if (eta != null && !name.equals("ddim") && !name.equals("dpm-solver++")) {
      throw new InvalidInputException("eta applies only to the ddim and dpm-solver++ samplers, not to " + name);
    }
    if (eta != null && name.equals("ddim")) {
      new org.sbgm.solve.Ddim(eta);
    } else if (eta != null) {
      new org.sbgm.solve.DpmSolverPlusPlus(eta, false);
    }
    if (churn != null && !name.equals("edm-heun")) {
      throw new InvalidInputException("churn applies only to the edm-heun sampler, not to " + name);
    }
    if (grid != null) {
      if (name.equals("ode")) {
        throw new InvalidInputException("the ode sampler takes no time grid (RK4 takes equal steps, Dopri5 adapts them); "
            + "grid applies to the fixed-step samplers");
      }
      TimeGrid.parse(grid);
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

  /** Name, steps and the ode tolerances; no eta, churn, grid or step limit of its own. */
  public SamplerSpec(String name, Integer steps, Double rtol, Double atol) {
    this(name, steps, rtol, atol, null, null, null, null);
  }

  /** Name, steps, the ode tolerances and the adaptive ode's step limit. */
  public SamplerSpec(String name, Integer steps, Double rtol, Double atol, Integer maxSteps) {
    this(name, steps, rtol, atol, null, null, null, maxSteps);
  }

  /** Name, steps, the ode tolerances, eta, churn and grid; the default step limit. */
  public SamplerSpec(String name, Integer steps, Double rtol, Double atol, Double eta, EdmHeun.Churn churn, String grid) {
    this(name, steps, rtol, atol, eta, churn, grid, null);
  }

  /** The sampler {@code name} with its defaults. */
  public static SamplerSpec of(String name) {
    return new SamplerSpec(name, null, null, null);
  }

  /** A short description, e.g. "ode (dopri5, rtol=1e-05, atol=1e-05)" or "ddim (50 steps, eta=0, uniform grid)". */
  public String describe() {
    if (name.equals("ode")) {
      return steps != null ? "ode (rk4, " + steps + " steps)"
          : String.format(Locale.ROOT, "ode (dopri5, rtol=%.0e, atol=%.0e)", rtolOr(), atolOr());
    }
    StringBuilder s = new StringBuilder(name).append(" (").append(stepsOr()).append(" steps");
    if (name.equals("ddim") || name.equals("dpm-solver++")) {
      s.append(", eta=").append(eta == null ? "0" : eta.toString());
    }
    if (name.equals("edm-heun")) {
      EdmHeun.Churn c = churnOr();
      s.append(String.format(Locale.ROOT, ", S_churn=%s, S_tmin=%s, S_tmax=%s, S_noise=%s", c.sChurn(), c.sTmin(), c.sTmax(),
          c.sNoise()));
    }
    return s.append(", ").append(gridOr()).append(" grid)").toString();
  }

  /** The number of steps, with the sampler's default. */
  public int stepsOr() {
    return steps != null ? steps : switch (name) {
      case "em" -> 1000;
      case "ode" -> 100;
      case "ddim" -> 50;
      case "edm-heun" -> 18;
      case "dpm-solver++" -> 20;
      default -> 500;
    };
  }

  /** The time grid, with the sampler's default (uniform in t; log-SNR for dpm-solver++, Karras ρ = 7 for edm-heun). */
  public TimeGrid gridOr() {
    if (grid != null) {
      return TimeGrid.parse(grid);
    }
    return switch (name) {
      case "edm-heun" -> TimeGrid.karras(7);
      case "dpm-solver++" -> TimeGrid.logSnrUniform();
      default -> TimeGrid.uniform();
    };
  }

  private EdmHeun.Churn churnOr() {
    return churn == null ? EdmHeun.Churn.NONE : churn;
  }

  private double etaOr() {
    return eta == null ? 0 : eta;
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
    int k = stepsOr();
    switch (name) {
      case "em":
        return new EulerMaruyama(k, EPSILON, gridOr(), dtype, observer);
      case "heun-sde":
        return new org.sbgm.sample.StochasticHeun(k, EPSILON, gridOr(), dtype, observer);
      case "pc":
        return new PredictorCorrector(k, 1, 0.16, EPSILON, gridOr(), dtype, observer);
      case "ddim":
        return new Ddim(k, etaOr(), EPSILON, gridOr(), dtype, observer);
      case "edm-heun":
        return new EdmHeun(k, churnOr(), EPSILON, gridOr(), dtype, observer);
      case "dpm-solver++":
        return new DpmSolverPlusPlus(k, etaOr(), EPSILON, gridOr(), dtype, observer);
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
