package org.sbgm.sample;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.Solution;
import org.sbgm.solve.StepObserver;
import org.sbgm.solve.StochasticField;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Ancestral-free sampling by the Euler–Maruyama discretisation of the reverse-time SDE
 * dx = [f(x, t) - g(t)² s(x, t)] dt + g(t) dw̄ from x_T ~ p_T down to ε (Song et al. 2021,
 * arXiv 2011.13456, eq. 6). The last step returns its mean, without noise, as is usual.
 * One score evaluation per step.
 */
public final class EulerMaruyama implements Sampler {
  private final int steps;
  private final double epsilon;
  private final TimeGrid grid;
  private final DType dtype;
  private final StepObserver observer;

  /** {@code steps} uniform steps from T to ε = 1e-3 in float32. */
  public EulerMaruyama(int steps) {
    this(steps, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  public EulerMaruyama(int steps, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    if (steps < 1) {
      throw new IllegalArgumentException("the number of steps must be at least 1, got " + steps);
    }
    this.steps = steps;
    this.epsilon = epsilon;
    this.grid = Objects.requireNonNull(grid, "grid");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.observer = observer;
  }

  /** The same sampler in another precision. */
  public EulerMaruyama withDType(DType d) {
    return new EulerMaruyama(steps, epsilon, grid, d, observer);
  }

  /** The same sampler reporting each step to {@code o} (progress). */
  public EulerMaruyama withObserver(StepObserver o) {
    return new EulerMaruyama(steps, epsilon, grid, dtype, o);
  }

  @Override
  public Samples sample(ScoreFunction score, Sde sde, long n, long[] shape, Condition condition, Generator generator) {
    Torch.init();
    Condition c = condition == null ? Condition.NONE : condition;
    double[] ts = grid.times(sde.horizon(), epsilon, steps);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x0 = sde.samplePrior(n, shape, generator, Torch.options(dtype));
      StochasticField field = reverseSde(score, sde, c);
      Solution sol = new org.sbgm.solve.EulerMaruyama().solve(field, x0, ts, generator, false, SaveAt.finalOnly(), observer);
      return new Samples(sol.y(), Math.toIntExact(sol.nfe()));
    }
  }

  /** The reverse-time SDE as drift f - g² s and diffusion g(t). */
  static StochasticField reverseSde(ScoreFunction score, Sde sde, Condition c) {
    return new StochasticField() {
      @Override
      public Tensor drift(double t, Tensor y) {
        return Sdes.reverseDrift(sde, score, y, t, c);
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return Torch.full(new long[0], sde.diffusion(t), y);
      }
    };
  }
}
