package org.sbgm.train;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.sde.Sde;
import org.sbgm.torch.Torch;

/**
 * Test stand-in for the VP SDE (the real one lives in org.sbgm.sde, not on this branch): β linear
 * 0.1 -> 20 on [0, 1], B(t) = 0.1 t + 9.95 t², m = exp(-B/2), σ = sqrt(1 - exp(-B)), g = sqrt(β).
 */
final class TestVpSde implements Sde {
  static final double BETA_MIN = 0.1;
  static final double BETA_MAX = 20.0;

  static double beta(double t) {
    return BETA_MIN + (BETA_MAX - BETA_MIN) * t;
  }

  static double integral(double t) {
    return BETA_MIN * t + 0.5 * (BETA_MAX - BETA_MIN) * t * t;
  }

  private static Tensor integral(Tensor t) {
    return t.mul(Torch.scalar(BETA_MIN)).add(t.square().mul(Torch.scalar(0.5 * (BETA_MAX - BETA_MIN))));
  }

  private static Tensor beta(Tensor t) {
    return t.mul(Torch.scalar(BETA_MAX - BETA_MIN)).add(Torch.scalar(BETA_MIN));
  }

  @Override
  public double horizon() {
    return 1.0;
  }

  @Override
  public Tensor drift(Tensor x, double t) {
    return x.mul(Torch.scalar(-0.5 * beta(t)));
  }

  @Override
  public Tensor drift(Tensor x, Tensor t) {
    return x.mul(Torch.perSample(beta(t), x.dim())).mul(Torch.scalar(-0.5));
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(beta(t));
  }

  @Override
  public Tensor diffusion(Tensor t) {
    return beta(t).sqrt();
  }

  @Override
  public double meanCoefficient(double t) {
    return Math.exp(-0.5 * integral(t));
  }

  @Override
  public Tensor meanCoefficient(Tensor t) {
    return integral(t).mul(Torch.scalar(-0.5)).exp();
  }

  @Override
  public double marginalStd(double t) {
    return Math.sqrt(-Math.expm1(-integral(t)));
  }

  @Override
  public Tensor marginalStd(Tensor t) {
    return integral(t).neg().expm1().neg().sqrt();
  }

  @Override
  public double priorStd() {
    return 1.0;
  }

  @Override
  public Tensor samplePrior(long n, long[] shape, Generator generator, TensorOptions options) {
    long[] full = new long[shape.length + 1];
    full[0] = n;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return Torch.randn(full, generator, options);
  }

  @Override
  public Tensor priorLogDensity(Tensor z) {
    double d = Torch.perSampleSize(z);
    return Torch.sumPerSample(z.square()).mul(Torch.scalar(-0.5)).sub(Torch.scalar(0.5 * d * Math.log(2 * Math.PI)));
  }
}
