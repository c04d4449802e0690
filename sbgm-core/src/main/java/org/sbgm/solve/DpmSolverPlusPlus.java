package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * DPM-Solver++(2M), the second-order multistep exponential integrator of the probability-flow ODE in
 * the data prediction (Lu, Zhou, Bao, Chen, Li and Zhu 2022, "DPM-Solver++: Fast Solver for Guided
 * Sampling of Diffusion Probabilistic Models", arXiv 2211.01095, Algorithm 2), and with η &gt; 0 its
 * SDE variant (SDE-DPM-Solver++(2M), ibid. Appendix, η = 1; intermediate η as k-diffusion's
 * {@code sample_dpmpp_2m_sde}). With λ = ln(m/σ), h_i = λ(t_{i+1}) − λ(t_i), the data predictions
 * D_i = x̂₀(x_i, t_i) and r_i = h_{i−1}/h_i:
 * <pre>
 *   D̄_i = D_i + (D_i − D_{i−1}) / (2 r_i)                    (D̄_0 = D_0: the first step is first order)
 *   x_{i+1} = (σ_{i+1}/σ_i) e^{−η h_i} x_i + m_{i+1} (1 − e^{−(1+η) h_i}) D̄_i + σ_{i+1} √(1 − e^{−2η h_i}) z_i.
 * </pre>
 * With η = 0 this is Algorithm 2 (global order 2, one score evaluation per step); η = 1 is the SDE
 * solver, whose first-order form is the ancestral DDPM step. Optionally the step that reaches the end
 * of the integration is first order ("lower order final", which dpm-solver and diffusers use below 15
 * steps for stability).
 *
 * <p>A multistep method: {@link #begin} returns a per-integration object that keeps D_{i−1} (retained
 * past the step's pointer scope) and h_{i−1}, released by {@link #end}. The noise z is the loop's
 * Brownian increment divided by √|t1 − t0|; the loop's noiseless last step adds none.
 */
public final class DpmSolverPlusPlus implements Solver<DenoiserField> {
  private final double eta;
  private final boolean lowerOrderFinal;

  /**
   * DPM-Solver++(2M) with stochasticity {@code eta} ≥ 0 (0: the ODE solver, 1: SDE-DPM-Solver++(2M)).
   *
   * @param lowerOrderFinal whether the step that ends the integration is first order
   * @throws InvalidInputException when eta is negative or not finite
   */
  public DpmSolverPlusPlus(double eta, boolean lowerOrderFinal) {
    if (!(eta >= 0) || !Double.isFinite(eta)) {
      throw new InvalidInputException("the DPM-Solver++ stochasticity eta must be a finite number >= 0, got " + eta);
    }
    this.eta = eta;
    this.lowerOrderFinal = lowerOrderFinal;
  }

  /** The ODE solver DPM-Solver++(2M), second order on every step after the first. */
  public static DpmSolverPlusPlus ode() {
    return new DpmSolverPlusPlus(0, false);
  }

  @Override
  public boolean needsNoise() {
    return eta > 0;
  }

  @Override
  public int errorOrder() {
    return 3;
  }

  @Override
  public Solver<DenoiserField> begin(double t0, double t1) {
    return new History(t1);
  }

  @Override
  public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    return update(field, t0, t1, y, field.denoised(t0, y), null, Double.NaN, noise);
  }

  /** One step from the data prediction {@code d0} at t0 and, when not null, the previous one {@code previous} taken h' earlier. */
  private Step update(DenoiserField field, double t0, double t1, Tensor y, Tensor d0, Tensor previous, double hPrevious,
      StepNoise noise) {
    double h = field.halfLogSnr(t1) - field.halfLogSnr(t0);
    if (eta > 0 && !(h >= 0)) {
      throw new InvalidInputException("SDE-DPM-Solver++ (eta = " + eta + ") runs towards the data, where log-SNR grows; "
          + "the step from t = " + t0 + " to " + t1 + " goes the other way");
    }
    Tensor d = d0;
    if (previous != null) {
      d = d0.add(d0.sub(previous), Torch.scalar(h / (2 * hPrevious)));
    }
    double sigma1 = field.marginalStd(t1);
    Tensor y1 = y.mul(Torch.scalar(sigma1 / field.marginalStd(t0) * Math.exp(-eta * h)))
        .add(d, Torch.scalar(-field.meanCoefficient(t1) * Math.expm1(-(1 + eta) * h)));
    Tensor dW = eta > 0 && noise != null ? noise.increment() : null;
    if (dW != null) {
      y1 = y1.add(dW, Torch.scalar(sigma1 * Math.sqrt(-Math.expm1(-2 * eta * h)) / Math.sqrt(Math.abs(t1 - t0))));
    }
    return Step.of(y1, 1);
  }

  @Override
  public String toString() {
    return eta == 0 ? "DPM-Solver++(2M)" : "SDE-DPM-Solver++(2M, eta=" + eta + ")";
  }

  /** The solver of one integration: remembers the previous data prediction and log-SNR step. */
  private final class History implements Solver<DenoiserField> {
    private final double end;
    private Tensor previous;
    private double hPrevious = Double.NaN;
    private double reached = Double.NaN;

    History(double end) {
      this.end = end;
    }

    @Override
    public boolean needsNoise() {
      return DpmSolverPlusPlus.this.needsNoise();
    }

    @Override
    public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
      Tensor d0 = field.denoised(t0, y);
      boolean multistep = previous != null && t0 == reached && !(lowerOrderFinal && t1 == end);
      Step s = update(field, t0, t1, y, d0, multistep ? previous : null, hPrevious, noise);
      d0.retainReference();
      end();
      previous = d0;
      hPrevious = field.halfLogSnr(t1) - field.halfLogSnr(t0);
      reached = t1;
      return s;
    }

    @Override
    public void end() {
      if (previous != null) {
        previous.releaseReference();
        previous = null;
      }
    }

    @Override
    public String toString() {
      return DpmSolverPlusPlus.this.toString();
    }
  }
}
