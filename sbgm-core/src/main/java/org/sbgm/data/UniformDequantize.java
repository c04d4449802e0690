package org.sbgm.data;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Image scaling with uniform dequantisation: 256-level integers x ∈ {0, ..., 255}^D become
 * continuous y ∈ [-1, 1)^D by
 * <pre>  y = (x + u) / 256 · 2 - 1 = (x + u) / 128 - 1,   u ~ U[0, 1)^D,</pre>
 * with u drawn from the generator given at construction (or u = ½ for {@link #midpoint}). The map
 * from v = x + u to y is affine with log |det| = D ln(2/256) = -D ln 128 per sample, which is what
 * {@link #logAbsDetJacobian} returns. Since the density of the dequantised data is
 * p_v(v) = p_y(y)·(2/256)^D, its bits per dimension are -log p_y(y)/(D ln 2) + 7 (see
 * {@link BitsPerDim}); this bounds the discrete data's bits/dim from above (Theis et al. 2016,
 * arXiv:1511.01844). The inverse recovers the level: x = clamp(floor((y + 1)·128), 0, 255).
 */
public final class UniformDequantize implements Transform {
  /** The number of levels of 8-bit data. */
  public static final int LEVELS = 256;
  private final Generator generator;
  private final DType dtype;

  /** Dequantises with u ~ U[0,1) from {@code generator}, producing {@code dtype} values. */
  public UniformDequantize(Generator generator, DType dtype) {
    if (generator == null) {
      throw new InvalidInputException("uniform dequantisation needs a generator; use midpoint() for u = 1/2");
    }
    this.generator = generator;
    this.dtype = dtype;
  }

  private UniformDequantize(DType dtype) {
    this.generator = null;
    this.dtype = dtype;
  }

  /** The deterministic variant u = ½ (bin centres), e.g. for displaying or evaluating without noise. */
  public static UniformDequantize midpoint(DType dtype) {
    return new UniformDequantize(dtype);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor v = x.to(dtype.scalarType());
    Tensor u = generator == null ? torch.full_like(v, Torch.scalar(0.5))
        : Torch.rand(Torch.shape(v), generator, Torch.options(dtype)).to(v.device(), dtype.scalarType()); // CPU generator
    return v.add(u).div(Torch.scalar(LEVELS / 2.0)).sub(Torch.scalar(1));
  }

  /** The integer levels (as values of y's dtype) that y came from. */
  @Override
  public Tensor inverse(Tensor y) {
    return torch.floor(y.add(Torch.scalar(1)).mul(Torch.scalar(LEVELS / 2.0))).clamp(
        new org.bytedeco.pytorch.ScalarOptional(Torch.scalar(0)), new org.bytedeco.pytorch.ScalarOptional(Torch.scalar(LEVELS - 1)));
  }

  /** D ln(2/256) for each sample, D the number of values per sample. */
  @Override
  public Tensor logAbsDetJacobian(Tensor x) {
    double perSample = Torch.perSampleSize(x) * Math.log(2.0 / LEVELS);
    return Torch.full(new long[] {x.size(0)}, perSample, Torch.options(dtype)).to(x.device(), dtype.scalarType());
  }
}
