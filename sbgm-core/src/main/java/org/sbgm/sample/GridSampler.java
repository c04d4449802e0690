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
import org.sbgm.solve.BrownianMotion;
import org.sbgm.solve.Integrator;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.Solution;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.solve.StepTo;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * What the fixed-step samplers share: {@code steps} steps on a {@link TimeGrid} from T to ε in a dtype,
 * reported to an observer; sampling draws x_T from the prior, then integrates the model's reverse-time
 * dynamics ({@link ReverseTime#reverseSde}, a {@link DenoiserField}: reverse-SDE drift and diffusion,
 * score, m(t), σ(t) and the data prediction) with the sampler's {@link #solver(Sde)} on the grid
 * T = t_0 &gt; … &gt; t_N = ε through {@link Integrator} (its {@link StepTo} controller), without
 * autograd; unless {@link #noiseOnLastStep()}, the last step returns its mean.
 */
public abstract class GridSampler implements Sampler {
  /** The number of steps. */
  protected final int steps;
  /** The final time ε. */
  protected final double epsilon;
  /** The time grid. */
  protected final TimeGrid grid;
  /** The dtype of the state. */
  protected final DType dtype;
  /** Sees every step, or null. */
  protected final StepObserver observer;

  /**
   * {@code steps} steps on {@code grid} from T to {@code epsilon}, in {@code dtype}, reporting each step
   * to {@code observer} (null for none).
   *
   * @throws InvalidInputException when steps &lt; 1 or epsilon is not positive
   */
  protected GridSampler(int steps, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    checkSteps(steps);
    checkEpsilon(epsilon);
    this.steps = steps;
    this.epsilon = epsilon;
    this.grid = Objects.requireNonNull(grid, "grid");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.observer = observer;
  }

  /**
   * The step this sampler takes for a model of {@code sde}.
   *
   * @throws InvalidInputException when the method does not apply to the SDE (one sentence saying why)
   */
  protected abstract Solver<? super DenoiserField> solver(Sde sde);

  /** Whether the step that reaches ε draws noise too (false: it returns its mean). */
  protected boolean noiseOnLastStep() {
    return false;
  }

  /** The number of steps. */
  public int steps() {
    return steps;
  }

  /** The time grid. */
  public TimeGrid grid() {
    return grid;
  }

  /** The same sampler in another precision. */
  public abstract GridSampler withDType(DType d);

  /** The same sampler reporting each step to {@code o} (progress). */
  public abstract GridSampler withObserver(StepObserver o);

  @Override
  public final Samples sample(DiffusionModel model, long n, long[] shape, Condition condition, Generator generator) {
    Objects.requireNonNull(model, "model");
    return sampleWith(solver(model.sde()), model, n, shape, condition, generator);
  }

  /**
   * The step this sampler takes for a model of {@code sde} (for a method that wraps it, such as
   * replacement inpainting).
   */
  public final Solver<? super DenoiserField> step(Sde sde) {
    return solver(sde);
  }

  /**
   * Samples as {@link #sample} does (prior draw, this grid, dtype, observer and last-step noise) but
   * with another step, e.g. one that also pulls towards an observation.
   */
  public final Samples sampleWith(Solver<? super DenoiserField> solver, DiffusionModel model, long n, long[] shape,
      Condition condition, Generator generator) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(solver, "solver");
    return run(solver, noiseOnLastStep(), model, n, shape, condition, generator, steps, epsilon, grid, dtype, observer);
  }

  /** The final time ε. */
  public double epsilon() {
    return epsilon;
  }

  /** The dtype of the state. */
  public DType dtype() {
    return dtype;
  }

  /** The observer of every step, or null. */
  public StepObserver observer() {
    return observer;
  }

  static void checkSteps(int steps) {
    if (steps < 1) {
      throw new InvalidInputException("the number of steps must be at least 1, got " + steps);
    }
  }

  static void checkEpsilon(double epsilon) {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new InvalidInputException("epsilon must be a positive finite time, got " + epsilon);
    }
  }

  private static Samples run(Solver<? super DenoiserField> solver, boolean noiseOnLastStep, DiffusionModel model, long n,
      long[] shape, Condition condition, Generator generator, int steps, double epsilon, TimeGrid grid, DType dtype,
      StepObserver observer) {
    Objects.requireNonNull(generator, "generator");
    Torch.init();
    Sde sde = model.sde();
    double[] ts = grid.times(sde, epsilon, steps);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor xT = sde.samplePrior(n, shape, generator, Torch.options(dtype));
      Solution sol = Integrator.solve(ReverseTime.reverseSde(model, condition), xT, ts[0], ts[steps], solver,
          StepTo.grid(ts), new BrownianMotion(generator, noiseOnLastStep), SaveAt.finalOnly(), steps, observer);
      return new Samples(sol.y(), Math.toIntExact(sol.nfe()));
    }
  }
}
