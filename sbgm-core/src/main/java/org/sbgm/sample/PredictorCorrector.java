package org.sbgm.sample;

import org.sbgm.InvalidInputException;
import org.sbgm.solve.CorrectedSolver;
import org.sbgm.solve.LangevinCorrector;
import org.sbgm.sde.Sde;
import org.sbgm.solve.LangevinField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * Predictor–corrector sampling (Song et al. 2021, arXiv 2011.13456, Algorithm 1 with the correctors of
 * Algorithms 4 and 5): at each time t_i of the grid, {@code correctorSteps} Langevin corrector steps
 * x ← x + ε s(x, t_i) + √(2ε) z with ε = 2α (r ‖z‖ / ‖s‖)² (r the signal-to-noise ratio, the norms batch
 * means of per-sample norms, α = m(t_i)² / m(t_{i+1})²), then one Euler–Maruyama predictor step of the
 * reverse SDE to t_{i+1}; the last predictor step returns its mean. The step is a
 * {@link CorrectedSolver} of {@link LangevinCorrector} and {@link org.sbgm.solve.EulerMaruyama} in the
 * one integration loop. Cost: (1 + correctorSteps) score evaluations per step.
 */
public final class PredictorCorrector extends GridSampler {
  private final int correctorSteps;
  private final double snr;

  /** {@code steps} steps, one corrector step each with r = 0.16 (score_sde's default), ε = 1e-3. */
  public PredictorCorrector(int steps) {
    this(steps, 1, 0.16, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  /**
   * {@code steps} predictor steps on {@code grid} from T to {@code epsilon}, each after
   * {@code correctorSteps} Langevin steps of signal-to-noise ratio {@code snr}.
   *
   * @throws InvalidInputException when steps &lt; 1, correctorSteps &lt; 0, snr ≤ 0 or epsilon ≤ 0
   */
  public PredictorCorrector(int steps, int correctorSteps, double snr, double epsilon, TimeGrid grid, DType dtype,
      StepObserver observer) {
    super(steps, epsilon, grid, dtype, observer);
    if (correctorSteps < 0) {
      throw new InvalidInputException("the number of corrector steps must be at least 0, got " + correctorSteps);
    }
    if (!(snr > 0) || !Double.isFinite(snr)) {
      throw new InvalidInputException("the signal-to-noise ratio must be a positive finite number, got " + snr);
    }
    this.correctorSteps = correctorSteps;
    this.snr = snr;
  }

  @Override
  public PredictorCorrector withDType(DType d) {
    return new PredictorCorrector(steps, correctorSteps, snr, epsilon, grid, d, observer);
  }

  @Override
  public PredictorCorrector withObserver(StepObserver o) {
    return new PredictorCorrector(steps, correctorSteps, snr, epsilon, grid, dtype, o);
  }

  @Override
  protected Solver<? super LangevinField> solver(Sde sde) {
    return new CorrectedSolver<>(new LangevinCorrector(snr), correctorSteps, new org.sbgm.solve.EulerMaruyama());
  }
}
