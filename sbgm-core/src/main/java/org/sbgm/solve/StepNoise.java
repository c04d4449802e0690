package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * The randomness one step may use, drawn by the {@link Integrator} from the caller's generator in the
 * order the step asks for it, so a run replays exactly from its seed. Only solvers that
 * {@linkplain Solver#needsNoise() need noise} receive one.
 */
public interface StepNoise {
  /**
   * The Brownian increment ΔW = W(t1) − W(t0) = √|t1 − t0| z with z ~ N(0, I) shaped like the state,
   * drawn on the first call and the same tensor on every later call within the step; null when this
   * step is to be taken without noise (the last step of a sampler, which returns its mean).
   */
  Tensor increment();

  /**
   * A fresh standard normal draw z ~ N(0, I) shaped like the state on every call, independent of the
   * Brownian increment: the noise of a Markov-chain move such as a {@link LangevinCorrector}.
   */
  Tensor standardNormal();
}
