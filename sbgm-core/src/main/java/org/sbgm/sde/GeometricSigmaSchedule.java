package org.sbgm.sde;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/** σ_v(t) = σ_min (σ_max/σ_min)^{t/T}; σ_v' = σ_v ln(σ_max/σ_min)/T; σ_v² - σ_min² = σ_min² expm1(2t ln(σ_max/σ_min)/T). */
final class GeometricSigmaSchedule implements SigmaSchedule {
  private final double sigmaMin;
  private final double sigmaMax;
  private final double horizon;
  private final double rate;

  GeometricSigmaSchedule(double sigmaMin, double sigmaMax, double horizon) {
    Schedules.positive("sigmaMin", sigmaMin);
    if (!(sigmaMax > sigmaMin) || !Double.isFinite(sigmaMax)) {
      throw new org.sbgm.InvalidInputException(
          "sigmaMax must be finite and greater than sigmaMin = " + sigmaMin + ", got " + sigmaMax);
    }
    Schedules.positive("horizon T", horizon);
    this.sigmaMin = sigmaMin;
    this.sigmaMax = sigmaMax;
    this.horizon = horizon;
    this.rate = Math.log(sigmaMax / sigmaMin) / horizon;
  }

  @Override
  public double sigma(double t) {
    return sigmaMin * Math.exp(rate * t);
  }

  @Override
  public double derivative(double t) {
    return rate * sigma(t);
  }

  @Override
  public double varianceIncrement(double t) {
    return sigmaMin * sigmaMin * Math.expm1(2 * rate * t);
  }

  @Override
  public Tensor sigma(Tensor t) {
    return t.mul(Torch.scalar(rate)).exp().mul(Torch.scalar(sigmaMin));
  }

  @Override
  public Tensor derivative(Tensor t) {
    return sigma(t).mul(Torch.scalar(rate));
  }

  @Override
  public Tensor varianceIncrement(Tensor t) {
    return t.mul(Torch.scalar(2 * rate)).expm1().mul(Torch.scalar(sigmaMin * sigmaMin));
  }

  @Override
  public String toString() {
    return "SigmaSchedule.geometric(" + sigmaMin + ", " + sigmaMax + ", T=" + horizon + ")";
  }
}
