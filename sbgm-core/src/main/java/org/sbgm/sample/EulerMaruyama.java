package org.sbgm.sample;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * Sampling by the Euler–Maruyama discretisation of the reverse-time SDE
 * dx = [f(x, t) − g(t)² s(x, t)] dt + g(t) dw̄ from x_T ~ p_T down to ε (Song et al. 2021,
 * arXiv 2011.13456, eq. 6): x_{i+1} = x_i + [f − g² s](x_i, t_i) h_i + g(t_i) √|h_i| z_i with
 * h_i = t_{i+1} − t_i &lt; 0. The last step returns its mean, without noise, as is usual. One score
 * evaluation per step; the solver is {@link org.sbgm.solve.EulerMaruyama} in the one integration loop.
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

  /**
   * {@code steps} steps on {@code grid} from T to {@code epsilon}, in {@code dtype}, reporting each step
   * to {@code observer} (null for none).
   *
   * @throws org.sbgm.InvalidInputException when steps &lt; 1 or epsilon is not positive
   */
  public EulerMaruyama(int steps, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    GridSampling.checkSteps(steps);
    GridSampling.checkEpsilon(epsilon);
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
  public Samples sample(DiffusionModel model, long n, long[] shape, Condition condition, Generator generator) {
    return GridSampling.run(new org.sbgm.solve.EulerMaruyama(), model, n, shape, condition, generator, steps, epsilon, grid,
        dtype, observer);
  }
}
