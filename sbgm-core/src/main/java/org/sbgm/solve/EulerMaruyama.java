package org.sbgm.solve;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;

/**
 * The Euler–Maruyama scheme for the Itô SDE dy = f(t, y) dt + g(t, y) dW on a fixed grid:
 * y_{n+1} = y_n + f(t_n, y_n) h_n + g(t_n, y_n) √|h_n| z_n with z_n ~ N(0, I) shaped like y and
 * h_n = t_{n+1} − t_n (negative backwards in time). Strong order 1/2 (1 for additive noise), weak
 * order 1 (Kloeden and Platen, <i>Numerical Solution of SDEs</i>, 1992, 10.2 and 14.1). One drift
 * evaluation per step; with {@code noiseOnLastStep = false} the last step returns its mean
 * y_n + f h_n.
 */
public final class EulerMaruyama implements SdeIntegrator {

  /** The scheme (stateless). */
  public EulerMaruyama() {}

  @Override
  public Solution solve(StochasticField f, Tensor y0, double[] ts, Generator g, boolean noiseOnLastStep, SaveAt saveAt,
      StepObserver observer) {
    return SdeLoop.run("Euler-Maruyama", EulerMaruyama::step, f, y0, ts, g, noiseOnLastStep, saveAt, observer);
  }

  private static Tensor step(StochasticField f, double t, Tensor y, double h, Tensor dW) {
    Tensor y1 = y.add(f.drift(t, y), org.sbgm.torch.Torch.scalar(h));
    return dW == null ? y1 : y1.add(f.diffusion(t, y).mul(dW));
  }
}
