package org.sbgm.solve;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;

/**
 * The Brownian motion W that drives a stochastic solve: its increments ΔW = √|h| z, z ~ N(0, I), are
 * drawn from {@code generator} (on the device of the state, or a CPU generator whose draws are moved
 * there), so a run replays from its seed. With {@code noiseOnLastStep = false} the step that reaches t1
 * is taken without noise and returns its mean, as samplers of diffusion models do (the noise of the last
 * step would only blur the samples at the scale of σ(ε)).
 *
 * @param generator the source of the Gaussian draws
 * @param noiseOnLastStep whether the step that reaches t1 adds its Brownian increment
 */
public record BrownianMotion(Generator generator, boolean noiseOnLastStep) {
  /** Checks the generator. */
  public BrownianMotion {
    Objects.requireNonNull(generator, "a Brownian motion needs a Generator");
  }

  /** Noise on every step. */
  public static BrownianMotion of(Generator generator) {
    return new BrownianMotion(generator, true);
  }

  /** Noise on every step but the one that reaches t1, which returns its mean. */
  public static BrownianMotion withMeanLastStep(Generator generator) {
    return new BrownianMotion(generator, false);
  }
}
