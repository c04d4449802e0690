package org.sbgm.sample;

import org.sbgm.sde.Sde;
import org.sbgm.solve.LangevinField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * Sampling by the Euler–Maruyama discretisation of the reverse-time SDE
 * dx = [f(x, t) − g(t)² s(x, t)] dt + g(t) dw̄ from x_T ~ p_T down to ε (Song et al. 2021,
 * arXiv 2011.13456, eq. 6): x_{i+1} = x_i + [f − g² s](x_i, t_i) h_i + g(t_i) √|h_i| z_i with
 * h_i = t_{i+1} − t_i &lt; 0. The last step returns its mean, without noise, as is usual. One score
 * evaluation per step; the solver is {@link org.sbgm.solve.EulerMaruyama} in the one integration loop.
 */
public final class EulerMaruyama extends GridSampler {
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
    super(steps, epsilon, grid, dtype, observer);
  }

  @Override
  public EulerMaruyama withDType(DType d) {
    return new EulerMaruyama(steps, epsilon, grid, d, observer);
  }

  @Override
  public EulerMaruyama withObserver(StepObserver o) {
    return new EulerMaruyama(steps, epsilon, grid, dtype, o);
  }

  @Override
  protected Solver<? super LangevinField> solver(Sde sde) {
    return new org.sbgm.solve.EulerMaruyama();
  }
}
