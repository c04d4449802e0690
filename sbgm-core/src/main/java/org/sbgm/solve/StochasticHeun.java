package org.sbgm.solve;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The stochastic Heun scheme (a predictor–corrector trapezoid) for the Stratonovich SDE
 * dy = f(t, y) dt + g(t, y) ∘ dW on a fixed grid: with ΔW = √|h| z,
 * ỹ = y + f(t, y) h + g(t, y) ΔW and y₁ = y + ½(f(t, y) + f(t + h, ỹ)) h + ½(g(t, y) + g(t + h, ỹ)) ΔW.
 * It converges to the Stratonovich solution (strong order 1/2 in general, order 1 for commutative
 * noise); for additive noise g = g(t) Itô and Stratonovich agree, so it is a strong order 1 scheme
 * for the Itô SDE as well (Rümelin, SIAM J. Numer. Anal. 19 (1982); Kloeden and Platen 1992).
 * Two drift evaluations per step (a noiseless last step is the deterministic Heun step, also two).
 */
public final class StochasticHeun implements SdeIntegrator {

  /** The scheme (stateless). */
  public StochasticHeun() {}

  @Override
  public Solution solve(StochasticField f, Tensor y0, double[] ts, Generator g, boolean noiseOnLastStep, SaveAt saveAt,
      StepObserver observer) {
    return SdeLoop.run("stochastic Heun", StochasticHeun::step, f, y0, ts, g, noiseOnLastStep, saveAt, observer);
  }

  private static Tensor step(StochasticField f, double t, Tensor y, double h, Tensor dW) {
    Tensor f0 = f.drift(t, y);
    Tensor g0dW = dW == null ? null : f.diffusion(t, y).mul(dW);
    Tensor pred = y.add(f0, Torch.scalar(h));
    if (g0dW != null) {
      pred = pred.add(g0dW);
    }
    Tensor f1 = f.drift(t + h, pred);
    Tensor y1 = y.add(f0.add(f1), Torch.scalar(0.5 * h));
    if (dW != null) {
      Tensor g1dW = f.diffusion(t + h, pred).mul(dW);
      y1 = y1.add(g0dW.add(g1dW), Torch.scalar(0.5));
    }
    return y1;
  }
}
