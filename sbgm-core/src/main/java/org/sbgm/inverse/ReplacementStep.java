package org.sbgm.inverse;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.Step;
import org.sbgm.solve.StepNoise;
import org.sbgm.torch.Torch;

/**
 * One step of replacement inpainting with RePaint's resampling (Lugmayr et al. 2022, "RePaint:
 * Inpainting using Denoising Diffusion Probabilistic Models", arXiv 2201.09865, Algorithm 1 with jump
 * length 1; with one pass it is the replacement method of Song et al. 2021, arXiv 2011.13456,
 * Appendix I.2): a step of the base sampler from t0 to t1, then the observed entries replaced by the
 * observation diffused to t1, x₁ ← M ⊙ (m₁ x_known + σ₁ z) + (1 − M) ⊙ x₁; with U passes, the first
 * U − 1 results are diffused back to t0 by the forward kernel,
 * x₀ ← (m₀/m₁) x₁ + √(σ₀² − (m₀/m₁)² σ₁²) z, and stepped again, harmonising the two regions. On the
 * loop's last step (no Brownian increment) the known entries take their mean m₁ x_known.
 */
final class ReplacementStep implements Solver<DenoiserField> {
  private final Solver<? super DenoiserField> base;
  private final Tensor mask;
  private final Tensor known;
  private final int passes;

  ReplacementStep(Solver<? super DenoiserField> base, Tensor mask, Tensor known, int passes) {
    this.base = base;
    this.mask = mask;
    this.known = known;
    this.passes = passes;
  }

  @Override
  public boolean needsNoise() {
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Solver<DenoiserField> begin(double t0, double t1) {
    Solver<? super DenoiserField> started = ((Solver<DenoiserField>) base).begin(t0, t1);
    return started == base ? this : new ReplacementStep(started, mask, known, passes);
  }

  @Override
  public void end() {
    base.end();
  }

  @Override
  public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    boolean noisy = noise.increment() != null;
    double m0 = field.meanCoefficient(t0);
    double s0 = field.marginalStd(t0);
    double m1 = field.meanCoefficient(t1);
    double s1 = field.marginalStd(t1);
    Tensor m = mask.to(y.device(), y.scalar_type()).unsqueeze(0);
    Tensor target = known.to(y.device(), y.scalar_type()).unsqueeze(0).mul(Torch.scalar(m1));
    Tensor current = y;
    int evaluations = 0;
    for (int pass = 0; pass < passes; pass++) {
      StepNoise n = pass == 0 ? noise : fresh(noise, t1 - t0, noisy);
      Step s = base.step(field, t0, t1, current, null, base.needsNoise() ? n : null);
      evaluations += s.evaluations();
      Tensor knownPart = noisy ? target.add(noise.standardNormal(), Torch.scalar(s1)) : target;
      Tensor x1 = knownPart.mul(m).add(s.y().mul(m.neg().add(Torch.scalar(1))));
      if (pass == passes - 1) {
        return Step.of(x1, evaluations);
      }
      double ratio = m0 / m1;
      double back = Math.sqrt(Math.max(0, s0 * s0 - ratio * ratio * s1 * s1));
      current = x1.mul(Torch.scalar(ratio)).add(noise.standardNormal(), Torch.scalar(back));
    }
    throw new AssertionError("unreachable");
  }

  /** Noise for a repeated pass: a fresh increment (or none, on the noiseless last step). */
  private static StepNoise fresh(StepNoise noise, double h, boolean noisy) {
    Tensor increment = noisy ? noise.standardNormal().mul(Torch.scalar(Math.sqrt(Math.abs(h)))) : null;
    return new StepNoise() {
      @Override
      public Tensor increment() {
        return increment;
      }

      @Override
      public Tensor standardNormal() {
        return noise.standardNormal();
      }
    };
  }

  @Override
  public String toString() {
    return "replacement(" + base + ", " + passes + " passes)";
  }
}
