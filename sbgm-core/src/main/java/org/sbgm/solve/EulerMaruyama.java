package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * The Euler–Maruyama scheme for the Itô SDE dy = f(t, y) dt + g(t, y) dW: with h = t1 − t0 and the
 * Brownian increment ΔW = √|h| z, y₁ = y + f(t0, y) h + g(t0, y) ΔW (negative h integrates backwards in
 * time). Strong order 1/2 (1 for additive noise), weak order 1 (Kloeden and Platen, <i>Numerical
 * Solution of SDEs</i>, 1992, 10.2 and 14.1). One drift evaluation per step; a step without noise (the
 * loop's noiseless last step) returns the mean y + f h.
 */
public final class EulerMaruyama implements Solver<StochasticField> {

  /** The scheme (stateless). */
  public EulerMaruyama() {}

  @Override
  public boolean needsNoise() {
    return true;
  }

  @Override
  public Step step(StochasticField f, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    double h = t1 - t0;
    Tensor dW = noise.increment();
    Tensor y1 = y.add(f.at(t0, y), Torch.scalar(h));
    return Step.of(dW == null ? y1 : y1.add(f.diffusion(t0, y).mul(dW)), 1);
  }

  @Override
  public String toString() {
    return "Euler-Maruyama";
  }
}
