package org.sbgm.solve;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * One step of EDM's second-order sampler (Karras, Aittala, Aila and Laine 2022, "Elucidating the Design
 * Space of Diffusion-Based Generative Models", arXiv 2206.00364; Algorithm 1, and with churn
 * Algorithm 2) for the kernel N(m x₀, σ² I) of any diffusion SDE, in EDM's variables: the scaled state
 * u = x/m and the noise level σ̃ = σ/m, in which the probability-flow ODE is du/dσ̃ = (u − D(u; σ̃))/σ̃
 * with D(u; σ̃) = x̂₀(m u, t) the data prediction at the time t of that noise level. From t0 to t1:
 * <pre>
 *   t̂ = raise(t0) ≥ t0,   û = u₀ + S_noise √(σ̃(t̂)² − σ̃(t0)²) z          (churn: add noise, Algorithm 2)
 *   d = (û − D(û; σ̂))/σ̂,  ũ = û + (σ̃₁ − σ̂) d                             (Euler)
 *   d' = (ũ − D(ũ; σ̃₁))/σ̃₁,  u₁ = û + (σ̃₁ − σ̂)(d + d')/2                  (Heun's correction)
 * </pre>
 * and x₁ = m(t1) u₁. Without churn (t̂ = t0) this is Heun's method on the ODE: global order 2, two
 * score evaluations per step (the last step is not shortened to Euler, since the grid ends at σ̃(ε) &gt; 0).
 * The churn time t̂ = raise(t0) (EDM: the time where σ̃ = (1 + γ_i) σ̃(t_i)) comes from the sampler that
 * knows the grid; z is the loop's Brownian increment divided by √|t1 − t0|, so the loop must give the
 * noise on every step (a step without increment takes no churn).
 */
public final class EdmHeun implements Solver<DenoiserField> {
  private final DoubleUnaryOperator raise;
  private final double sNoise;

  private EdmHeun(DoubleUnaryOperator raise, double sNoise) {
    this.raise = raise;
    this.sNoise = sNoise;
  }

  /** Algorithm 1: Heun's method on the probability-flow ODE in (u, σ̃), no churn. */
  public static EdmHeun deterministic() {
    return new EdmHeun(null, 1);
  }

  /**
   * Algorithm 2: each step from t0 first raises the noise level to the time {@code raise(t0)} (≥ t0;
   * equal for no churn in that step) by fresh noise scaled by {@code sNoise}.
   *
   * @throws InvalidInputException when sNoise is not positive and finite
   */
  public static EdmHeun stochastic(DoubleUnaryOperator raise, double sNoise) {
    Objects.requireNonNull(raise, "the churn needs the raised time of each step");
    if (!(sNoise > 0) || !Double.isFinite(sNoise)) {
      throw new InvalidInputException("S_noise must be a positive finite number, got " + sNoise);
    }
    return new EdmHeun(raise, sNoise);
  }

  @Override
  public boolean needsNoise() {
    return raise != null;
  }

  @Override
  public int errorOrder() {
    return 3;
  }

  @Override
  public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    double m0 = field.meanCoefficient(t0);
    double s0 = field.marginalStd(t0) / m0;
    Tensor u = y.div(Torch.scalar(m0));
    double tHat = t0;
    Tensor dW = noise == null ? null : noise.increment();
    if (raise != null && dW != null) {
      tHat = raise.applyAsDouble(t0);
      if (!(Math.signum(tHat - t0) != Math.signum(t1 - t0) || tHat == t0) || !Double.isFinite(tHat)) {
        throw new InvalidInputException("the churn must raise the noise level: from t = " + t0 + " it asked for t = " + tHat);
      }
    }
    double mHat = field.meanCoefficient(tHat);
    double sHat = field.marginalStd(tHat) / mHat;
    if (tHat != t0) {
      double scale = sNoise * Math.sqrt(Math.max(0, sHat * sHat - s0 * s0)) / Math.sqrt(Math.abs(t1 - t0));
      u = u.add(dW, Torch.scalar(scale));
    }
    double m1 = field.meanCoefficient(t1);
    double s1 = field.marginalStd(t1) / m1;
    Tensor d = slope(field, tHat, u, mHat, sHat);
    Tensor euler = u.add(d, Torch.scalar(s1 - sHat));
    Tensor d1 = slope(field, t1, euler, m1, s1);
    Tensor u1 = u.add(d.add(d1), Torch.scalar(0.5 * (s1 - sHat)));
    return Step.of(u1.mul(Torch.scalar(m1)), 2);
  }

  /** (u − D(u; σ̃))/σ̃ at time t, where m = m(t) and σ̃ = σ(t)/m. */
  private static Tensor slope(DenoiserField field, double t, Tensor u, double m, double sigmaTilde) {
    Tensor denoised = field.denoised(t, u.mul(Torch.scalar(m)));
    return u.sub(denoised).div(Torch.scalar(sigmaTilde));
  }

  @Override
  public String toString() {
    return raise == null ? "EDM Heun" : "EDM Heun (churn)";
  }
}
