package org.sbgm.measure;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The sliced Wasserstein-2 distance between two samples of equal size (Rabin, Peyré, Delon and Bernot
 * 2011; Bonneel et al. 2015): SW₂(X, Y)² = E_θ W₂(θᵀX, θᵀY)² over directions θ uniform on the sphere,
 * estimated with L fixed directions (seeded), where in one dimension W₂² between two empirical
 * measures of n points is the mean squared difference of the sorted values.
 */
public final class SlicedWasserstein {
  private final Tensor directions;

  /** {@code projections} directions in dimension {@code dimension}, drawn from {@code seed}. */
  public SlicedWasserstein(int dimension, int projections, long seed) {
    if (dimension < 1 || projections < 1) {
      throw new InvalidInputException("sliced Wasserstein needs a dimension and a number of projections of at least 1, got "
          + dimension + " and " + projections);
    }
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Tensor d = Torch.randn(new long[] {dimension, projections}, Torch.generator(seed), Torch.options(DType.FLOAT64));
      directions = Torch.retain(d.div(d.square().sum(new long[] {0}, true, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt()));
    }
  }

  /** SW₂ between {@code x} and {@code y}, both {@code [n, D]} (or [n, ...] flattening to D) of the same n. */
  public double distance(Tensor x, Tensor y) {
    if (x.size(0) != y.size(0)) {
      throw new InvalidInputException("sliced Wasserstein compares samples of equal size, got " + x.size(0) + " and " + y.size(0));
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor px = torch.sort(x.reshape(x.size(0), -1).to(DType.FLOAT64.scalarType()).matmul(directions), 0, false).get0();
      Tensor py = torch.sort(y.reshape(y.size(0), -1).to(DType.FLOAT64.scalarType()).matmul(directions), 0, false).get0();
      return Math.sqrt(px.sub(py).square().mean().item_double());
    }
  }
}
