package org.sbgm.sample;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ReverseTime;
import org.sbgm.sde.Sde;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.Integrator;
import org.sbgm.solve.PidController;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.Solution;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.solve.StepSizeController;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Deterministic sampling by the probability-flow ODE dx/dt = f(x, t) − ½ g(t)² s(x, t) from
 * x_T ~ p_T back to ε (Song et al. 2021, arXiv 2011.13456, eq. 13), with any ODE solver and step-size
 * controller in the one integration loop; adaptive Dopri5 with rtol = atol = 1e-5 by default. The only
 * randomness is the prior draw. Score evaluations run without autograd recording (a score function that
 * needs gradients inside, such as gradient guidance, enables them itself).
 */
public final class ProbabilityFlow implements Sampler {
  private final Solver<VectorField> solver;
  private final StepSizeController controller;
  private final double epsilon;
  private final int maxSteps;
  private final DType dtype;
  private final StepObserver observer;

  /** Dopri5, rtol = atol = 1e-5, ε = 1e-3, float32. */
  public ProbabilityFlow() {
    this(ExplicitRungeKutta.dopri5(), PidController.of(1e-5, 1e-5), 1e-3, 100_000, DType.FLOAT32, null);
  }

  /**
   * The ODE solved from T to {@code epsilon} by {@code solver} under {@code controller}, in {@code dtype},
   * failing after {@code maxSteps} attempted steps, reporting each step to {@code observer} (null for none).
   *
   * @throws InvalidInputException when epsilon is not positive or maxSteps &lt; 1
   */
  public ProbabilityFlow(Solver<VectorField> solver, StepSizeController controller, double epsilon, int maxSteps,
      DType dtype, StepObserver observer) {
    this.solver = Objects.requireNonNull(solver, "solver");
    this.controller = Objects.requireNonNull(controller, "controller");
    GridSampler.checkEpsilon(epsilon);
    if (maxSteps < 1) {
      throw new InvalidInputException("maxSteps must be at least 1, got " + maxSteps);
    }
    this.epsilon = epsilon;
    this.maxSteps = maxSteps;
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.observer = observer;
  }

  /** The same sampler with another solver and controller. */
  public ProbabilityFlow withSolver(Solver<VectorField> s, StepSizeController c) {
    return new ProbabilityFlow(s, c, epsilon, maxSteps, dtype, observer);
  }

  /** The same sampler in another precision. */
  public ProbabilityFlow withDType(DType d) {
    return new ProbabilityFlow(solver, controller, epsilon, maxSteps, d, observer);
  }

  /** The same sampler reporting each step to {@code o} (progress). */
  public ProbabilityFlow withObserver(StepObserver o) {
    return new ProbabilityFlow(solver, controller, epsilon, maxSteps, dtype, o);
  }

  @Override
  public Samples sample(DiffusionModel model, long n, long[] shape, Condition condition, Generator generator) {
    Objects.requireNonNull(model, "model");
    Torch.init();
    Sde sde = model.sde();
    if (!(epsilon < sde.horizon())) {
      throw new InvalidInputException("epsilon must lie below T=" + sde.horizon() + ", got " + epsilon);
    }
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor xT = sde.samplePrior(n, shape, generator, Torch.options(dtype));
      Solution sol = Integrator.solve(ReverseTime.probabilityFlow(model, condition), xT, sde.horizon(), epsilon, solver,
          controller, SaveAt.finalOnly(), maxSteps, observer);
      return new Samples(sol.y(), Math.toIntExact(sol.nfe()));
    }
  }
}
