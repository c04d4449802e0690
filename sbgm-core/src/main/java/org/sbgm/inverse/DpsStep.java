package org.sbgm.inverse;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.solve.Ddim;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.Step;
import org.sbgm.solve.StepNoise;
import org.sbgm.torch.Torch;

/**
 * One step of diffusion posterior sampling (Chung, Kim, Mccann, Klasky and Ye 2023, "Diffusion
 * Posterior Sampling for General Noisy Inverse Problems", arXiv 2209.14687, Algorithm 1): the ancestral
 * step (DDIM with η = 1, the continuous-time DDPM step) from the data prediction x̂₀(x_t), then a
 * gradient step on the measurement residual,
 * <pre>  x_{t'} = DDPM(x_t, x̂₀) − ζ ∇_{x_t} ‖y − A x̂₀(x_t)‖₂,</pre>
 * per sample, which is the paper's ζ_i ∇‖y − A x̂₀‖² with ζ_i = ζ/(2‖y − A x̂₀‖) (the form of its
 * reference code). One score evaluation and one VJP per step.
 */
final class DpsStep implements Solver<DenoiserField> {
  private final Observation observation;
  private final double zeta;
  private final AtomicLong vjps;

  DpsStep(Observation observation, double zeta, AtomicLong vjps) {
    this.observation = observation;
    this.zeta = zeta;
    this.vjps = vjps;
  }

  @Override
  public boolean needsNoise() {
    return true;
  }

  @Override
  @SuppressWarnings("try")
  public Step step(DenoiserField field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    Tensor x0;
    Tensor gradient;
    try (AutoGradMode on = new AutoGradMode(true)) {
      Tensor xg = y.detach().requires_grad_(true);
      x0 = field.denoised(t0, xg);
      Tensor residual = observation.batched(y).sub(observation.operator().apply(x0));
      Tensor norms = Torch.sumPerSample(residual.square()).add(Torch.scalar(1e-30)).sqrt().sum();
      TensorVector g = torch.grad(new TensorVector(norms), new TensorVector(xg), new TensorVector(), new BoolOptional(false),
          false, false);
      vjps.incrementAndGet();
      gradient = g.get(0).detach();
      x0 = x0.detach();
    }
    Tensor next = Ddim.update(field, t0, t1, y, x0, 1, noise);
    return Step.of(next.sub(gradient.mul(Torch.scalar(zeta))), 1);
  }

  @Override
  public String toString() {
    return "DPS(zeta=" + zeta + ")";
  }
}
