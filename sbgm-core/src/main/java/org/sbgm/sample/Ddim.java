package org.sbgm.sample;

import org.sbgm.sde.Sde;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * DDIM sampling (Song, Meng and Ermon 2021, arXiv 2010.02502): {@code steps} steps of
 * {@link org.sbgm.solve.Ddim} from x_T ~ p_T to ε, each
 * y₁ = m₁ x̂₀ + √(σ₁² − c²) ε̂ + c z with c = η σ₁ √(1 − e^{−2h}), h the step in λ = ln(m/σ).
 * η = 0 is deterministic (a first-order solver of the probability-flow ODE), η = 1 ancestral (DDPM).
 * Default grid: uniform in t (DDIM's uniform time skip); one score evaluation per step; the last step
 * adds no noise. Applies to every SDE whose diffusion matches its kernel (VP, sub-VP, VE; see
 * {@link NoiseSchedule}).
 */
public final class Ddim extends GridSampler {
  private final double eta;

  /** Deterministic DDIM, {@code steps} uniform steps to ε = 1e-3, float32. */
  public Ddim(int steps) {
    this(steps, 0, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  /**
   * DDIM with stochasticity {@code eta} ∈ [0, 1].
   *
   * @throws org.sbgm.InvalidInputException when steps &lt; 1, epsilon ≤ 0 or eta is outside [0, 1]
   */
  public Ddim(int steps, double eta, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    super(steps, epsilon, grid, dtype, observer);
    new org.sbgm.solve.Ddim(eta); // checks eta
    this.eta = eta;
  }

  /** η. */
  public double eta() {
    return eta;
  }

  @Override
  public Ddim withDType(DType d) {
    return new Ddim(steps, eta, epsilon, grid, d, observer);
  }

  @Override
  public Ddim withObserver(StepObserver o) {
    return new Ddim(steps, eta, epsilon, grid, dtype, o);
  }

  @Override
  protected Solver<? super DenoiserField> solver(Sde sde) {
    NoiseSchedule.of(sde);
    return new org.sbgm.solve.Ddim(eta);
  }
}
