package org.sbgm.sample;

import org.sbgm.sde.Sde;
import org.sbgm.solve.LangevinField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * Sampling by the stochastic Heun scheme on the reverse-time SDE dx = [f − g² s] dt + g(t) dw̄ from
 * x_T ~ p_T down to ε: with F = f − g² s, h_i = t_{i+1} − t_i &lt; 0 and ΔW = √|h_i| z_i,
 * x̃ = x_i + F(x_i, t_i) h_i + g(t_i) ΔW and
 * x_{i+1} = x_i + ½[F(x_i, t_i) + F(x̃, t_{i+1})] h_i + ½[g(t_i) + g(t_{i+1})] ΔW.
 * The noise of the reverse SDE is additive (g depends on t only), so Itô and Stratonovich coincide and
 * the scheme has strong order 1 (Rümelin 1982; Kloeden and Platen 1992), against 1/2 for
 * Euler–Maruyama in general. The last step returns its mean (the deterministic Heun step). Two score
 * evaluations per step; the solver is {@link org.sbgm.solve.StochasticHeun} in the one integration loop.
 */
public final class StochasticHeun extends GridSampler {
  /** {@code steps} uniform steps from T to ε = 1e-3 in float32. */
  public StochasticHeun(int steps) {
    this(steps, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  /**
   * {@code steps} steps on {@code grid} from T to {@code epsilon}, in {@code dtype}, reporting each step
   * to {@code observer} (null for none).
   *
   * @throws org.sbgm.InvalidInputException when steps &lt; 1 or epsilon is not positive
   */
  public StochasticHeun(int steps, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    super(steps, epsilon, grid, dtype, observer);
  }

  @Override
  public StochasticHeun withDType(DType d) {
    return new StochasticHeun(steps, epsilon, grid, d, observer);
  }

  @Override
  public StochasticHeun withObserver(StepObserver o) {
    return new StochasticHeun(steps, epsilon, grid, dtype, o);
  }

  @Override
  protected Solver<? super LangevinField> solver(Sde sde) {
    return new org.sbgm.solve.StochasticHeun();
  }
}
