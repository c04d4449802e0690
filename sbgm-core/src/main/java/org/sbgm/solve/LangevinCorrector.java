package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * One step of Langevin MCMC towards the marginal p_t of a {@link LangevinField}, staying at t = t0:
 * x ← x + ε s(x, t) + √(2ε) z with z ~ N(0, I) and the step ε = 2α (r ‖z‖ / ‖s‖)² set by the
 * signal-to-noise ratio r. The norms are batch means of per-sample Euclidean norms, as in score_sde
 * (per-sample ratios blow the step up for low-dimensional samples near a mode, where ‖s‖ ≈ 0), and
 * α = m(t0)² / m(t1)² with t1 the time of the predictor step that follows: the 1 − β_i of the
 * discrete VP chain, 1 for VE. Implements Algorithms 4 and 5 (the corrector of predictor–corrector
 * sampling) of Song et al. 2021, "Score-Based Generative Modeling through Stochastic Differential
 * Equations", arXiv 2011.13456. One score evaluation per step.
 *
 * <p>A corrector does not {@linkplain Solver#advancesTime() advance time}: run it through a
 * {@link CorrectedSolver}, which follows it with a predictor.
 */
public final class LangevinCorrector implements Solver<LangevinField> {
  private final double snr;

  /**
   * A corrector with signal-to-noise ratio {@code snr} (score_sde uses 0.16 for VE and VP).
   *
   * @throws InvalidInputException unless snr is positive and finite
   */
  public LangevinCorrector(double snr) {
    if (!(snr > 0) || !Double.isFinite(snr)) {
      throw new InvalidInputException("The Langevin signal-to-noise ratio must be a positive finite number, got " + snr + ".");
    }
    this.snr = snr;
  }

  /** The signal-to-noise ratio r. */
  public double snr() {
    return snr;
  }

  @Override
  public boolean needsNoise() {
    return true;
  }

  @Override
  public boolean advancesTime() {
    return false;
  }

  @Override
  public Step step(LangevinField f, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    Tensor s = f.score(t0, y);
    Tensor z = noise.standardNormal();
    double m0 = f.meanCoefficient(t0);
    double m1 = f.meanCoefficient(t1);
    double alpha = (m0 * m0) / (m1 * m1);
    double ratio = snr * meanNorm(z) / meanNorm(s);
    double eps = 2 * alpha * ratio * ratio;
    return Step.of(y.add(s, Torch.scalar(eps)).add(z, Torch.scalar(Math.sqrt(2 * eps))), 1);
  }

  /** The batch mean of the per-sample Euclidean norms. */
  private static double meanNorm(Tensor v) {
    return Torch.sumPerSample(v.square()).sqrt().mean().item_double();
  }

  @Override
  public String toString() {
    return "Langevin(snr=" + snr + ")";
  }
}
