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

  /**
   * The global gradient norm: one float32 dot product per gradient (as {@code clip_grad_norm_} takes each
   * gradient's norm in its own dtype), summed in float64, with one synchronising read for all of them; where a
   * float32 sum of squares overflows or is not finite, every gradient again in float64, so that only a gradient
   * that really holds NaN or infinity gives a non-finite norm. 0 when no parameter has a gradient.
   */
  public static double globalNorm(TensorVector parameters) {
    double fast = squaresInFloat32(parameters);
    return Math.sqrt(Double.isFinite(fast) ? fast : squaresInFloat64(parameters));
  }

  /** Σ ||∇_p||² with every gradient in float64 (one read per gradient). */
  private static double squaresInFloat64(TensorVector parameters) {
    double sum = 0;
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (long i = 0; i < parameters.size(); i++) {
        Tensor g = parameters.get(i).grad();
        if (g == null || !g.defined()) {
          continue;
        }
        sum += g.to(torch.ScalarType.Double).square().sum().item_double();
      }
    }
    return sum;
  }

  /** Σ ||∇_p||² from one float32 dot product per gradient, added in float64 (one read for all). */
  private static double squaresInFloat32(TensorVector parameters) {
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
        return 0;
      }
      return torch.stack(squares).to(torch.ScalarType.Double).sum().item_double();
    }
  }

  /**
   * True when every gradient is finite (no NaN or infinity): the float32 sums of squares of {@link #globalNorm},
   * finite for finite gradients unless a square overflows float32; only then is the answer settled in float64.
   */
  public static boolean allFinite(TensorVector parameters) {
    return Double.isFinite(globalNorm(parameters));
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
