package org.sbgm.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Global gradient-norm clipping, as PyTorch's {@code clip_grad_norm_}: with N = sqrt(Σ_p ||∇_p||²)
 * over every parameter with a gradient, each gradient is scaled by min(1, c/(N + 10⁻⁶)), so afterwards
 * the global norm is at most c (up to the rounding of the scaled values).
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** The global gradient norm (accumulated in float64); 0 when no parameter has a gradient. */
  public static double globalNorm(TensorVector parameters) {
    double sum = 0;
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (long i = 0; i < parameters.size(); i++) {
        Tensor g = parameters.get(i).grad();
        if (g == null || !g.defined()) {
          continue;
        }
        double n = g.to(torch.ScalarType.Double).square().sum().item_double();
        sum += n;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * True when every gradient is finite (no NaN or infinity). Fast path: the float32 sums of squares
   * (one dot product per gradient, one synchronising read), finite for finite gradients unless a
   * square overflows float32; only when that sum is not finite is the answer settled exactly by
   * {@link #globalNorm} in float64.
   */
  public static boolean allFinite(TensorVector parameters) {
    double sum;
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TensorVector squares = new TensorVector();
      for (long i = 0; i < parameters.size(); i++) {
        Tensor g = parameters.get(i).grad();
        if (g != null && g.defined()) {
          Tensor flat = g.reshape(-1);
          squares.push_back(flat.dot(flat));
        }
      }
      if (squares.size() == 0) {
        return true;
      }
      sum = torch.stack(squares).to(torch.ScalarType.Double).sum().item_double();
    }
    return Double.isFinite(sum) || Double.isFinite(globalNorm(parameters));
  }

  /**
   * Scales the gradients so their global norm is at most {@code maxNorm} (0 means no clipping) and
   * returns the norm before clipping (which may be non-finite; then nothing is scaled).
   */
  public static double clip(TensorVector parameters, double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new InvalidInputException("gradient clip norm must be finite and non-negative, got " + maxNorm);
    }
    double norm = globalNorm(parameters);
    if (maxNorm == 0 || !Double.isFinite(norm) || norm <= maxNorm) {
      return norm;
    }
    double coefficient = maxNorm / (norm + 1e-6);
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (long i = 0; i < parameters.size(); i++) {
        Tensor g = parameters.get(i).grad();
        if (g != null && g.defined()) {
          g.mul_(Torch.scalar(coefficient));
        }
      }
    }
    return norm;
  }
}
