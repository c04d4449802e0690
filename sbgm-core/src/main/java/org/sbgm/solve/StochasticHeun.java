package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The stochastic Heun scheme (a predictor–corrector trapezoid) for the Stratonovich SDE
 * dy = f(t, y) dt + g(t, y) ∘ dW: with h = t1 − t0 and ΔW = √|h| z,
 * ỹ = y + f(t0, y) h + g(t0, y) ΔW and y₁ = y + ½(f(t0, y) + f(t1, ỹ)) h + ½(g(t0, y) + g(t1, ỹ)) ΔW.
 * It converges to the Stratonovich solution (strong order 1/2 in general, order 1 for commutative
 * noise); for additive noise g = g(t) Itô and Stratonovich agree, so it is a strong order 1 scheme for
 * the Itô SDE as well (Rümelin, SIAM J. Numer. Anal. 19 (1982) 604–613; Kloeden and Platen 1992).
 * Two drift evaluations per step (a noiseless step is the deterministic Heun step, also two).
 */
public final class StochasticHeun implements Solver<StochasticField> {

  /** The scheme (stateless). */
  public StochasticHeun() {}

  @Override
  public boolean needsNoise() {
    return true;
  }

  @Override
  public int errorOrder() {
    return 3;
  }

  @Override
  public Step step(StochasticField f, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    double h = t1 - t0;
    Tensor dW = noise.increment();
    Tensor f0 = f.at(t0, y);
    Tensor g0dW = dW == null ? null : f.diffusion(t0, y).mul(dW);
    Tensor pred = y.add(f0, Torch.scalar(h));
    if (g0dW != null) {
      pred = pred.add(g0dW);
    }
    Tensor f1 = f.at(t1, pred);
    Tensor y1 = y.add(f0.add(f1), Torch.scalar(0.5 * h));
    if (dW != null) {
      Tensor g1dW = f.diffusion(t1, pred).mul(dW);
      y1 = y1.add(g0dW.add(g1dW), Torch.scalar(0.5));
    }
    return Step.of(y1, 2);
  }

  @Override
  public String toString() {
    return "stochastic Heun";
  }
}
