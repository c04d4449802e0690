package org.sbgm.solve;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;

/**
 * A fixed-grid SDE scheme: it integrates dy = f dt + g dW over the time grid ts (increasing, or
 * decreasing to integrate backwards in time; the Brownian increments are then √|Δt| z), drawing
 * its Gaussian noise z from the given generator so runs replay exactly.
 */
public interface SdeIntegrator {

  /**
   * Integrates from (ts[0], y0) along the grid and returns the final state.
   *
   * @param f the drift and diffusion
   * @param y0 the initial state [B, ...]
   * @param ts the time grid, strictly monotone, at least two points
   * @param g the generator of the noise (on the device of y0, or a CPU generator)
   * @param noiseOnLastStep false to take the last step without noise (return its mean), as
   *     samplers of diffusion models usually do
   * @return the final state (ts = {ts[last]}); nfe counts drift evaluations
   */
  default Solution solve(StochasticField f, Tensor y0, double[] ts, Generator g, boolean noiseOnLastStep) {
    return solve(f, y0, ts, g, noiseOnLastStep, SaveAt.finalOnly(), null);
  }

  /**
   * As {@link #solve(StochasticField, Tensor, double[], Generator, boolean)}, also saving the states at
   * {@code saveAt}'s times (each must be a point of the grid) and reporting each step to {@code observer}
   * (null for none).
   */
  Solution solve(StochasticField f, Tensor y0, double[] ts, Generator g, boolean noiseOnLastStep, SaveAt saveAt,
      StepObserver observer);
}
