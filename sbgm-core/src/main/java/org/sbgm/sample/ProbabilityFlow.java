package org.sbgm.sample;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.Integrator;
import org.sbgm.solve.PidController;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.Solution;
import org.sbgm.solve.StepObserver;
import org.sbgm.solve.StepSizeController;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Deterministic sampling by the probability-flow ODE dx/dt = f(x, t) - ½ g(t)² s(x, t) from
 * x_T ~ p_T back to ε (Song et al. 2021, arXiv 2011.13456, eq. 13), with any Runge–Kutta solver and
 * step-size controller; adaptive Dopri5 with rtol = atol = 1e-5 by default. The only randomness is
 * the prior draw. Score evaluations run without autograd recording (a score function that needs
 * gradients inside, such as gradient guidance, enables them itself).
 */
public final class ProbabilityFlow implements Sampler {
  private final ExplicitRungeKutta solver;
  private final StepSizeController controller;
  private final double epsilon;
  private final int maxSteps;
  private final DType dtype;
  private final StepObserver observer;

  /** Dopri5, rtol = atol = 1e-5, ε = 1e-3, float32. */
  public ProbabilityFlow() {
    this(ExplicitRungeKutta.dopri5(), PidController.of(1e-5, 1e-5), 1e-3, 100_000, DType.FLOAT32, null);
  }

  public ProbabilityFlow(ExplicitRungeKutta solver, StepSizeController controller, double epsilon, int maxSteps,
      DType dtype, StepObserver observer) {
    this.solver = Objects.requireNonNull(solver, "solver");
    this.controller = Objects.requireNonNull(controller, "controller");
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
    }
    this.epsilon = epsilon;
    this.maxSteps = maxSteps;
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.observer = observer;
  }

  public ProbabilityFlow withSolver(ExplicitRungeKutta s, StepSizeController c) {
    return new ProbabilityFlow(s, c, epsilon, maxSteps, dtype, observer);
  }

  public ProbabilityFlow withDType(DType d) {
    return new ProbabilityFlow(solver, controller, epsilon, maxSteps, d, observer);
  }

  public ProbabilityFlow withObserver(StepObserver o) {
    return new ProbabilityFlow(solver, controller, epsilon, maxSteps, dtype, o);
  }

  @Override
  public Samples sample(ScoreFunction score, Sde sde, long n, long[] shape, Condition condition, Generator generator) {
    Torch.init();
    if (!(epsilon < sde.horizon())) {
      throw new IllegalArgumentException("epsilon must lie below T=" + sde.horizon() + ", got " + epsilon);
    }
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor xT = sde.samplePrior(n, shape, generator, Torch.options(dtype));
      Solution sol = Integrator.solve(Sdes.probabilityFlow(sde, score, condition == null ? Condition.NONE : condition),
          xT, sde.horizon(), epsilon, solver, controller, SaveAt.finalOnly(), maxSteps, observer);
      return new Samples(sol.y(), Math.toIntExact(sol.nfe()));
    }
  }
}
