package org.sbgm.sample;

import org.sbgm.sde.Sde;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * DPM-Solver++(2M) sampling (Lu et al. 2022, arXiv 2211.01095, Algorithm 2): {@code steps} steps of the
 * second-order multistep {@link org.sbgm.solve.DpmSolverPlusPlus} from x_T ~ p_T to ε on a
 * log-SNR-uniform grid by default, one score evaluation per step; with η &gt; 0 its SDE variant
 * (η = 1: SDE-DPM-Solver++(2M)). Below {@value #LOWER_ORDER_FINAL_BELOW} steps the last step is first
 * order, as dpm-solver and diffusers do. Applies to every SDE whose diffusion matches its kernel (VP,
 * sub-VP, VE; see {@link NoiseSchedule}).
 */
public final class DpmSolverPlusPlus extends GridSampler {
  /** Below this many steps the final step is first order. */
  public static final int LOWER_ORDER_FINAL_BELOW = 15;
  private final double eta;

  /** DPM-Solver++(2M), {@code steps} log-SNR-uniform steps to ε = 1e-3, float32. */
  public DpmSolverPlusPlus(int steps) {
    this(steps, 0, 1e-3, TimeGrid.logSnrUniform(), DType.FLOAT32, null);
  }

  /**
   * DPM-Solver++(2M) with stochasticity {@code eta} ≥ 0 (0: the ODE solver).
   *
   * @throws org.sbgm.InvalidInputException when steps &lt; 1, epsilon ≤ 0 or eta &lt; 0
   */
  public DpmSolverPlusPlus(int steps, double eta, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    super(steps, epsilon, grid, dtype, observer);
    new org.sbgm.solve.DpmSolverPlusPlus(eta, false); // checks eta
    this.eta = eta;
  }

  /** η. */
  public double eta() {
    return eta;
  }

  @Override
  public DpmSolverPlusPlus withDType(DType d) {
    return new DpmSolverPlusPlus(steps, eta, epsilon, grid, d, observer);
  }

  @Override
  public DpmSolverPlusPlus withObserver(StepObserver o) {
    return new DpmSolverPlusPlus(steps, eta, epsilon, grid, dtype, o);
  }

  @Override
  protected Solver<? super DenoiserField> solver(Sde sde) {
    NoiseSchedule.of(sde);
    return new org.sbgm.solve.DpmSolverPlusPlus(eta, steps < LOWER_ORDER_FINAL_BELOW);
  }
}
