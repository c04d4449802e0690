package org.sbgm.nn;

import org.bytedeco.pytorch.Generator;
import org.sbgm.torch.Torch;

/**
 * A {@link NetworkModule} that draws training-time noise (dropout masks, classifier-free condition
 * dropout) from its own {@link Randomness}, seeded from the construction seed.
 */
abstract class RandomNetworkModule extends NetworkModule {
  final Randomness randomness;

  RandomNetworkModule(long seed) {
    Torch.init();
    this.randomness = new Randomness(seed);
  }

  /**
   * Replaces the generator that dropout and condition-dropout draws come from (seeded from the
   * construction seed by default), for example with a CUDA generator when the network runs on a GPU.
   */
  public void setGenerator(Generator g) {
    randomness.set(g);
  }
}
