package org.sbgm.nn;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * The generator a network draws its training-time noise from (dropout masks, classifier-free
 * condition dropout). It is seeded from the construction seed, so a training run replays exactly;
 * {@link #set} replaces it (for example with a CUDA generator when the network runs on a GPU).
 */
final class Randomness {
  private Generator generator;

  Randomness(long seed) {
    // A different stream from the one that initialised the parameters (seeded with the seed itself).
    this.generator = Seeds.generator(seed, Seeds.Stream.NETWORK);
  }

  /** The generator the draws come from now. */
  Generator generator() {
    return generator;
  }

  void set(Generator g) {
    if (g == null) {
      throw new InvalidInputException("the network's generator must not be null");
    }
    g.retainReference();
    this.generator = g;
  }

  /** Inverted dropout: zero each value with probability p and scale the rest by 1/(1-p); identity when not training. */
  Tensor dropout(Tensor x, double p, boolean training) {
    if (!training || p == 0) {
      return x;
    }
    Tensor keep = uniform(x.sizes().vec().get(), x).ge(Torch.scalar(p)).to(x.scalar_type());
    return x.mul(keep).mul(Torch.scalar(1.0 / (1.0 - p)));
  }

  /**
   * A per-sample keep mask for classifier-free guidance training: {@code [B]} of ones, each set to
   * zero with probability p (the condition is then replaced by zeros, the "null" condition).
   */
  Tensor keepMask(long batch, double p, Tensor like) {
    return uniform(new long[] {batch}, like).ge(Torch.scalar(p)).to(like.scalar_type());
  }

  private Tensor uniform(long[] shape, Tensor like) {
    Tensor u = torch.rand(shape, new GeneratorOptional(generator), new TensorOptions(generator.device()));
    return u.to(like.device(), torch.ScalarType.Float);
  }
}
