package org.sbgm.solve;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/** The noise of one step, drawn lazily from the loop's generator (see {@link StepNoise}). */
final class GeneratorNoise implements StepNoise {
  private final Tensor like;
  private final double h;
  private final Generator generator;
  private final boolean withIncrement;
  private Tensor increment;

  GeneratorNoise(Tensor like, double h, Generator generator, boolean withIncrement) {
    this.like = like;
    this.h = h;
    this.generator = generator;
    this.withIncrement = withIncrement;
  }

  @Override
  public Tensor increment() {
    if (!withIncrement) {
      return null;
    }
    if (increment == null) {
      increment = standardNormal().mul(Torch.scalar(Math.sqrt(Math.abs(h))));
    }
    return increment;
  }

  @Override
  public Tensor standardNormal() {
    if (generator.device().is_cuda() == like.device().is_cuda()) {
      return Torch.randnLike(like, generator);
    }
    // a CPU generator for a state on the GPU (or the reverse): draw where the generator lives, then move
    return torch.randn(Torch.shape(like), new GeneratorOptional(generator), new TensorOptions(like.scalar_type())).to(like);
  }
}
