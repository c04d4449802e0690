package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * One DDIM step (Song, Meng and Ermon 2021, "Denoising Diffusion Implicit Models", arXiv 2010.02502,
 * eq. 12) for the kernel N(m x₀, σ² I) of any diffusion SDE: with the data prediction x̂₀ = x̂₀(y, t0),
 * the noise prediction ε̂ = (y − m₀ x̂₀)/σ₀ and h = λ(t1) − λ(t0) (λ = ln(m/σ), h &gt; 0 towards the data),
 * <pre>
 *   y₁ = m₁ x̂₀ + √(σ₁² − c²) ε̂ + c z,   c = η σ₁ √(1 − e^{−2h}),   z ~ N(0, I).
 * </pre>
 * (For the VP SDE c is DDIM's σ_t(η) = η √((1 − ᾱ_{t−1})/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t−1}), written with
 * m² = ᾱ.) Written in y and x̂₀, y₁ = (σ₁ k/σ₀) y + m₁ (1 − k e^{−h}) x̂₀ + c z with
 * k = √(1 − η²(1 − e^{−2h})), so η = 0 is the deterministic DDIM, the first-order exponential
 * integrator of the probability-flow ODE (DPM-Solver++(1), Lu et al. 2022, arXiv 2211.01095; global
 * order 1), and η = 1 the ancestral DDPM step. One score evaluation per step. The noise z is the loop's
 * Brownian increment divided by √|t1 − t0|; the loop's noiseless last step (no increment) adds none.
 */
public final class Ddim implements Solver<DenoiserField> {
  private final double eta;

  /**
   * DDIM with stochasticity {@code eta} in [0, 1] (0: deterministic).
   *
   * @throws InvalidInputException when eta is outside [0, 1]
   */
  public Ddim(double eta) {
    if (!(eta >= 0 && eta <= 1)) {
      throw new InvalidInputException("the DDIM stochasticity eta must lie in [0, 1], got " + eta);
    }
    this.eta = eta;
  }

  /** The deterministic DDIM (η = 0). */
  public static Ddim deterministic() {
    return new Ddim(0);
  }

  /** η. */
  public double eta() {
    return eta;
  }

  @Override
  public boolean needsNoise() {
    return eta > 0;
  }

  @Override
  public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    return Step.of(update(field, t0, t1, y, field.denoised(t0, y), eta, noise), 1);
  }

  /**
   * The DDIM update from (t0, y) to t1 with a given data prediction {@code x0} (for methods that change
   * it, such as posterior samplers): y₁ = (σ₁ k/σ₀) y + m₁ (1 − k e^{−h}) x̂₀ + c z.
   *
   * @param noise the step's noise, or null (then, as on the loop's noiseless last step, no noise is added)
   * @throws InvalidInputException when eta &gt; 0 and the step runs away from the data
   */
  public static Tensor update(DenoiserField field, double t0, double t1, Tensor y, Tensor x0, double eta, StepNoise noise) {
    double h = field.halfLogSnr(t1) - field.halfLogSnr(t0);
    if (eta > 0 && !(h >= 0)) {
      throw new InvalidInputException("stochastic DDIM (eta = " + eta + ") runs towards the data, where log-SNR grows; "
          + "the step from t = " + t0 + " to " + t1 + " goes the other way");
    }
    double sigma0 = field.marginalStd(t0);
    double sigma1 = field.marginalStd(t1);
    double m1 = field.meanCoefficient(t1);
    double oneMinusE2h = -Math.expm1(-2 * h);
    double logK = 0.5 * Math.log1p(-eta * eta * oneMinusE2h);
    Tensor y1 = y.mul(Torch.scalar(sigma1 / sigma0 * Math.exp(logK))).add(x0, Torch.scalar(-m1 * Math.expm1(logK - h)));
    Tensor dW = eta > 0 && noise != null ? noise.increment() : null;
    if (dW != null) {
      double c = eta * sigma1 * Math.sqrt(oneMinusE2h);
      y1 = y1.add(dW, Torch.scalar(c / Math.sqrt(Math.abs(t1 - t0))));
    }
    return y1;
  }

  @Override
  public String toString() {
    return eta == 0 ? "DDIM" : "DDIM(eta=" + eta + ")";
  }
}
