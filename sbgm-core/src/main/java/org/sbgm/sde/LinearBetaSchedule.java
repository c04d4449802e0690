package org.sbgm.sde;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/** β(t) = β_min + (β_max - β_min) t / T; B(t) = β_min t + (β_max - β_min) t² / (2T). */
final class LinearBetaSchedule implements BetaSchedule {
  private final double betaMin;
  private final double betaMax;
  private final double horizon;
  private final double slope;

  LinearBetaSchedule(double betaMin, double betaMax, double horizon) {
    Schedules.nonNegative("betaMin", betaMin);
    if (!(betaMax > betaMin) || !Double.isFinite(betaMax)) {
      throw new org.sbgm.InvalidInputException(
          "betaMax must be finite and greater than betaMin = " + betaMin + ", got " + betaMax);
    }
    Schedules.positive("horizon T", horizon);
    this.betaMin = betaMin;
    this.betaMax = betaMax;
    this.horizon = horizon;
    this.slope = (betaMax - betaMin) / horizon;
  }

  @Override
  public double beta(double t) {
    return betaMin + slope * t;
  }

  @Override
  public double integral(double t) {
    return t * (betaMin + 0.5 * slope * t);
  }

  @Override
  public Tensor beta(Tensor t) {
    return t.mul(Torch.scalar(slope)).add(Torch.scalar(betaMin));
  }

  @Override
  public Tensor integral(Tensor t) {
    return t.mul(Torch.scalar(0.5 * slope)).add(Torch.scalar(betaMin)).mul(t);
  }

  @Override
  public String toString() {
    return "BetaSchedule.linear(" + betaMin + ", " + betaMax + ", T=" + horizon + ")";
  }
}
