/**
 * Samplers: from x_T ~ p_T back to ε for a {@link org.sbgm.score.DiffusionModel} (a score and the forward
 * SDE it owns), all on one signature, {@link org.sbgm.sample.Sampler#sample}; the time grid is separate
 * ({@link org.sbgm.sample.TimeGrid}: uniform, or quadratic towards ε).
 *
 * <p>Along the reverse-time SDE dx = [f − g² s] dt + g dw̄ (Song et al. 2021, arXiv 2011.13456, eq. 6):
 * {@link org.sbgm.sample.EulerMaruyama} (one score evaluation per step), {@link org.sbgm.sample.StochasticHeun}
 * (two; strong order 1 since the noise is additive) and {@link org.sbgm.sample.PredictorCorrector} (Langevin
 * corrector moves x ← x + ε s + √(2ε) z before each Euler–Maruyama step; Algorithms 1, 4 and 5 of the same
 * paper). Along the probability-flow ODE dx/dt = f − ½ g² s (eq. 13): {@link org.sbgm.sample.ProbabilityFlow}
 * with any Runge–Kutta solver and step-size controller. Each is a choice of
 * {@link org.sbgm.solve.Solver} for the reverse dynamics of {@link org.sbgm.score.ReverseTime}, integrated
 * by the one loop {@link org.sbgm.solve.Integrator} (stochastic ones on the grid with
 * {@link org.sbgm.solve.StepTo}, the last step returning its mean), without autograd.
 *
 * <p>Each is tested against the exact Gaussian-mixture model: moments within Monte-Carlo error and a
 * kernel two-sample test, which a wrong score fails.
 */
package org.sbgm.sample;
