package org.sbgm.nn;

import java.util.Map;
import org.bytedeco.pytorch.Generator;
import org.sbgm.torch.Torch;

/**
 * A {@link NetworkModule} that draws training-time noise (dropout masks, classifier-free condition
 * dropout) from its own {@link Randomness}, seeded from the construction seed, and lists that
 * generator in {@link Network#generators()} so a training checkpoint saves and restores it.
 */
abstract class RandomNetworkModule extends NetworkModule implements Network {
  private static final String DROPOUT = "dropout";
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

  /** The one generator of dropout and condition-dropout draws, named {@code "dropout"}. */
  @Override
  public Map<String, Generator> generators() {
    return Map.of(DROPOUT, randomness.generator());
  }
}
