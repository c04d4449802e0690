package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;

/**
 * A reverse-time diffusion SDE that also knows the density it transports: besides drift and diffusion
 * it gives the score ∇_y log p_t(y) of the marginal at time t and the mean coefficient m(t) of the
 * forward kernel p(x_t | x_0) = N(m(t) x_0, σ(t)² I). A {@link LangevinCorrector} needs both: the score
 * drives its Markov chain towards p_t and m sets its step scale α = m(t)²/m(t + h)².
 */
public interface LangevinField extends StochasticField {
  /** The score ∇_y log p_t(y), shaped like {@code y}. */
  Tensor score(double t, Tensor y);

  /** The mean coefficient m(t) of the forward kernel. */
  double meanCoefficient(double t);
}
