package org.sbgm.nn;

import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Pointwise nonlinearities, each a single fused libtorch op. */
public enum Activation {
  /** SiLU (swish): x σ(x). */
  SILU,
  /** GELU with the exact erf form. */
  GELU,
  /** Hyperbolic tangent. */
  TANH,
  /** max(x, 0). */
  RELU;

  /** Applies the nonlinearity to {@code x}. */
  public Tensor apply(Tensor x) {
    switch (this) {
      case SILU: return torch.silu(x);
      case GELU: return torch.gelu(x);
      case TANH: return torch.tanh(x);
      case RELU: return torch.relu(x);
      default: throw new AssertionError(this);
    }
  }

  /**
   * Applies the nonlinearity to a temporary {@code x} that the caller owns and does not read again: in
   * place when no gradient flows through x (no-grad sampling; saves a new output buffer per layer),
   * otherwise as {@link #apply} (autograd needs the input kept).
   */
  public Tensor applyToTemporary(Tensor x) {
    if (x.requires_grad()) {
      return apply(x);
    }
    switch (this) {
      case SILU: return torch.silu_(x);
      case GELU: return torch.gelu_(x);
      case TANH: return torch.tanh_(x);
      case RELU: return torch.relu_(x);
      default: throw new AssertionError(this);
    }
  }

  /** Parses {@code silu}, {@code gelu}, {@code tanh} or {@code relu} (any case). */
  public static Activation parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("activation must be one of silu, gelu, tanh, relu, got '" + name + "'");
    }
  }
}
