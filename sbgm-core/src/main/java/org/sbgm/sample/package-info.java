/**
 * Samplers: from x_T ~ p_T back to ε along the reverse-time SDE dx = [f - g² s] dt + g dw̄
 * ({@link org.sbgm.sample.EulerMaruyama}, {@link org.sbgm.sample.PredictorCorrector}) or along the
 * probability-flow ODE dx/dt = f - ½ g² s ({@link org.sbgm.sample.ProbabilityFlow}). All share one
 * signature, {@link org.sbgm.sample.Sampler#sample}; the time grid is separate ({@link org.sbgm.sample.TimeGrid}).
 * Each is tested against the exact Gaussian-mixture score: moments and a kernel two-sample test.
 */
package org.sbgm.sample;
