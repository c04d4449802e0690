package org.sbgm.data;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Mirrors each image of {@code [B, C, H, W]} along its width (last dimension) with probability p. */
public final class RandomHorizontalFlip implements Augmentation {
  private final double probability;

  /** Flips with probability {@code probability} ∈ [0, 1]. */
  public RandomHorizontalFlip(double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new InvalidInputException("flip probability must be in [0, 1], got " + probability);
    }
    this.probability = probability;
  }

  @Override
  public Tensor apply(Tensor x, Generator g) {
    if (x.dim() < 2) {
      throw new InvalidInputException("images must be [B, ..., W], got rank " + x.dim());
    }
    Tensor flip = Torch.rand(new long[] {x.size(0)}, g, Torch.options(DType.FLOAT64)).lt(Torch.scalar(probability));
    return torch.where(Torch.perSample(flip, x.dim()).to(x.device(), torch.ScalarType.Bool), x.flip(-1), x);
  }
}
