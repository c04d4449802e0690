package org.sbgm.data;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The 2-D toy densities of FFJORD (Grathwohl et al. 2019, arXiv:1810.01367, {@code lib/toy_data.py}),
 * each drawn from the caller's seeded generator as an {@code [n, 2]} tensor (float32 unless a dtype
 * is given). Eight Gaussians and the checkerboard also have exact log-densities.
 */
public final class Toy {
  /** FFJORD divides the eight-Gaussians points by 1.414 (not √2); kept for comparability. */
  public static final double EIGHT_GAUSSIANS_DIVISOR = 1.414;
  private static final GaussianMixture EIGHT = eightGaussiansMixture();

  private Toy() {}

  /**
   * The eight-Gaussians mixture: equal weights 1/8, means 4c/1.414 for the centres c in
   * {(±1, 0), (0, ±1), (±1/√2, ±1/√2)}, isotropic std 0.5/1.414.
   */
  public static GaussianMixture eightGaussiansMixture() {
    double r = 1 / Math.sqrt(2);
    double[][] centres = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
    double[][] means = new double[8][2];
    for (int i = 0; i < 8; i++) {
      means[i][0] = 4 * centres[i][0] / EIGHT_GAUSSIANS_DIVISOR;
      means[i][1] = 4 * centres[i][1] / EIGHT_GAUSSIANS_DIVISOR;
    }
    double[] w = new double[8];
    java.util.Arrays.fill(w, 1.0 / 8);
    return GaussianMixture.isotropic(w, means, 0.5 / EIGHT_GAUSSIANS_DIVISOR);
  }

  /** {@code n} float32 eight-Gaussians points. */
  public static Tensor eightGaussians(long n, Generator g) {
    return eightGaussians(n, g, DType.FLOAT32);
  }

  /** {@code n} eight-Gaussians points of {@code dtype}. */
  public static Tensor eightGaussians(long n, Generator g, DType dtype) {
    return EIGHT.sample(n, g, Torch.options(dtype));
  }

  /** The exact log-density of the eight-Gaussians distribution at {@code x [B, 2]}, as {@code [B]}. */
  public static Tensor eightGaussiansLogDensity(Tensor x) {
    return EIGHT.logDensity(x);
  }

  /**
   * {@code n} float32 two-moons points: sklearn's {@code make_moons(noise=0.1)} (outer arc
   * (cos θ, sin θ), inner arc (1 - cos θ, ½ - sin θ), θ evenly spaced on [0, π], shuffled), then
   * scaled by 2 and shifted by (-1, -0.2) as FFJORD does.
   */
  public static Tensor twoMoons(long n, Generator g) {
    return twoMoons(n, g, DType.FLOAT32);
  }

  /** Two moons of {@code dtype}. */
  public static Tensor twoMoons(long n, Generator g, DType dtype) {
    TensorOptions f64 = Torch.options(DType.FLOAT64);
    long nOut = n / 2;
    long nIn = n - nOut;
    Tensor a = torch.linspace(Torch.scalar(0), Torch.scalar(Math.PI), nOut, f64);
    Tensor b = torch.linspace(Torch.scalar(0), Torch.scalar(Math.PI), nIn, f64);
    Tensor outer = torch.stack(new TensorVector(torch.cos(a), torch.sin(a)), 1);
    Tensor inner = torch.stack(new TensorVector(torch.cos(b).neg().add(Torch.scalar(1)),
        torch.sin(b).neg().add(Torch.scalar(0.5))), 1);
    Tensor x = torch.cat(new TensorVector(outer, inner), 0);
    x = x.index_select(0, Torch.randperm(n, g));
    x = x.add(Torch.randn(new long[] {n, 2}, g, f64).mul(Torch.scalar(0.1)));
    return x.mul(Torch.scalar(2)).add(Torch.tensor(new double[] {-1, -0.2}, 1, 2)).to(dtype.scalarType());
  }

  /**
   * {@code n} float32 swiss-roll points: sklearn's {@code make_swiss_roll(noise=1.0)} with
   * t = 1.5π(1 + 2u), u ~ U[0,1), keeping the (x, z) = (t cos t, t sin t) plane plus N(0, 1) noise,
   * divided by 5 as FFJORD does.
   */
  public static Tensor swissRoll(long n, Generator g) {
    return swissRoll(n, g, DType.FLOAT32);
  }

  /** Swiss roll of {@code dtype}. */
  public static Tensor swissRoll(long n, Generator g, DType dtype) {
    TensorOptions f64 = Torch.options(DType.FLOAT64);
    Tensor t = Torch.rand(new long[] {n}, g, f64).mul(Torch.scalar(2)).add(Torch.scalar(1)).mul(Torch.scalar(1.5 * Math.PI));
    Tensor x = torch.stack(new TensorVector(t.mul(torch.cos(t)), t.mul(torch.sin(t))), 1);
    return x.add(Torch.randn(new long[] {n, 2}, g, f64)).div(Torch.scalar(5)).to(dtype.scalarType());
  }

  /**
   * {@code n} float32 checkerboard points, uniform on the eight 2×2 squares of [-4, 4]² whose lower
   * corners (2a, 2b) have floor(a) + floor(b) even: FFJORD's x1 ~ U[-2, 2), x2 ~ U[0, 1) - 2·Bernoulli(½)
   * + (floor(x1) mod 2), both times 2.
   */
  public static Tensor checkerboard(long n, Generator g) {
    return checkerboard(n, g, DType.FLOAT32);
  }

  /** Checkerboard of {@code dtype}. */
  public static Tensor checkerboard(long n, Generator g, DType dtype) {
    TensorOptions f64 = Torch.options(DType.FLOAT64);
    Tensor x1 = Torch.rand(new long[] {n}, g, f64).mul(Torch.scalar(4)).sub(Torch.scalar(2));
    Tensor coin = Torch.rand(new long[] {n}, g, f64).lt(Torch.scalar(0.5)).to(torch.ScalarType.Double);
    Tensor x2 = Torch.rand(new long[] {n}, g, f64).sub(coin.mul(Torch.scalar(2)))
        .add(torch.remainder(torch.floor(x1), Torch.scalar(2)));
    return torch.stack(new TensorVector(x1, x2), 1).mul(Torch.scalar(2)).to(dtype.scalarType());
  }

  /** The exact checkerboard log-density at {@code x [B, 2]}: -log 32 on its support, -∞ elsewhere. */
  public static Tensor checkerboardLogDensity(Tensor x) {
    Tensor h = x.div(Torch.scalar(2));
    Tensor inBox = h.ge(Torch.scalar(-2)).logical_and(h.lt(Torch.scalar(2))).all(1);
    Tensor parity = torch.remainder(torch.floor(h).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()), Torch.scalar(2));
    Tensor inside = inBox.logical_and(parity.eq(Torch.scalar(0)));
    Tensor zeros = torch.zeros_like(x.select(1, 0));
    return torch.where(inside, zeros.add(Torch.scalar(-Math.log(32))), zeros.add(Torch.scalar(Double.NEGATIVE_INFINITY)));
  }
}
