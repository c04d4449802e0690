package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The reverse-time dynamics of a diffusion model seen through its denoiser: besides the reverse-SDE
 * drift and diffusion, the score and m(t) of a {@link LangevinField}, the kernel's σ(t), so that the
 * data prediction (Tweedie's formula)
 * <pre>  x̂₀(y, t) = (y + σ(t)² s(y, t)) / m(t)</pre>
 * and the half log-SNR λ(t) = ln(m/σ) are available. The exponential integrators of the
 * probability-flow ODE (DDIM, DPM-Solver++) and EDM's Heun method in σ̃ = σ/m step with x̂₀; for the
 * forward kernel N(m x₀, σ² I) of an SDE dx = f dt + g dw with g² = dσ²/dt − 2 (d ln m/dt) σ² (true of
 * the VP, sub-VP and VE SDEs) their ODE is the probability-flow ODE of {@link #at}'s SDE.
 */
public interface DenoiserField extends LangevinField {
  /** The standard deviation σ(t) of the forward kernel p(x_t | x_0) = N(m(t) x_0, σ(t)² I). */
  double marginalStd(double t);

  /** The data prediction x̂₀(y, t) = (y + σ² s(y, t)) / m, shaped like y (one score evaluation). */
  default Tensor denoised(double t, Tensor y) {
    double sigma = marginalStd(t);
    return y.add(score(t, y), Torch.scalar(sigma * sigma)).div(Torch.scalar(meanCoefficient(t)));
  }

  /** The half log-SNR λ(t) = ln(m(t)/σ(t)). */
  default double halfLogSnr(double t) {
    return Math.log(meanCoefficient(t)) - Math.log(marginalStd(t));
  }
}
