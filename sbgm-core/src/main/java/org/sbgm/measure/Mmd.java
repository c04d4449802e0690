package org.sbgm.measure;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The unbiased squared maximum mean discrepancy (Gretton et al. 2012, JMLR 13, eq. 3) with the Gaussian
 * kernel k(a, b) = exp(−‖a − b‖²/ℓ²), ℓ² fixed from a reference sample (the median squared distance
 * within its first 1000 points), so every comparison against that reference uses the same kernel:
 * <pre>  MMD²_u = Σ_{i≠j} k(x_i, x_j)/(n(n−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i, y_j)/(nm).</pre>
 * It is zero in expectation for equal distributions (and then takes small values of either sign): the
 * Monte-Carlo floor of a sample size is the value between two independent draws of the reference
 * distribution. Sums are taken in blocks of 1024 rows, so memory stays O(1024 n).
 */
public final class Mmd {
  private static final int BLOCK = 1024;
  private final double bandwidth2;

  private Mmd(double bandwidth2) {
    this.bandwidth2 = bandwidth2;
  }

  /** The kernel of squared length scale ℓ² = the median squared distance within {@code reference}. */
  public static Mmd medianHeuristic(Tensor reference) {
    try (PointerScope scope = new PointerScope()) {
      Tensor r = flat(reference).narrow(0, 0, Math.min(1000, reference.size(0)));
      Tensor d2 = torch.cdist(r, r).square();
      double median = torch.median(d2.flatten()).item_double();
      if (!(median > 0)) {
        throw new InvalidInputException("the reference sample has no spread (median squared distance " + median + ")");
      }
      return new Mmd(median);
    }
  }

  /** ℓ². */
  public double bandwidthSquared() {
    return bandwidth2;
  }

  /** MMD²_u between {@code x} and {@code y} ({@code [n, ...]} and {@code [m, ...]}, n, m ≥ 2). */
  public double squared(Tensor x, Tensor y) {
    if (x.size(0) < 2 || y.size(0) < 2) {
      throw new InvalidInputException("MMD needs at least two points on each side, got " + x.size(0) + " and " + y.size(0));
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor a = flat(x);
      Tensor b = flat(y);
      double n = a.size(0);
      double m = b.size(0);
      double kxx = (sum(a, a) - n) / (n * (n - 1));
      double kyy = (sum(b, b) - m) / (m * (m - 1));
      double kxy = sum(a, b) / (n * m);
      return kxx + kyy - 2 * kxy;
    }
  }

  private double sum(Tensor a, Tensor b) {
    double total = 0;
    for (long start = 0; start < a.size(0); start += BLOCK) {
      try (PointerScope scope = new PointerScope()) {
        Tensor block = a.narrow(0, start, Math.min(BLOCK, a.size(0) - start));
        total += torch.cdist(block, b).square().div(Torch.scalar(-bandwidth2)).exp().sum().item_double();
      }
    }
    return total;
  }

  private static Tensor flat(Tensor x) {
    return x.reshape(x.size(0), -1).to(DType.FLOAT64.scalarType());
  }
}
