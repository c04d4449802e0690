package org.sbgm.nn;

import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

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

  /**
   * Forward-mode step through the nonlinearity, in place: {@code z} ({@code [B, F]}) becomes
   * h = act(z) and {@code zdot} ({@code [K, B, F]}, K tangents) becomes ḣ = act'(z) ⊙ ż. SiLU: with
   * s = σ(z), h = z s and act' = s (1 + z (1 - s)) = s + h - h s, one sigmoid for both. The others use
   * libtorch's backward kernels, the derivatives autograd uses: exact-erf GELU Φ(z) + z φ(z),
   * tanh 1 - h², ReLU 1 for z > 0 and 0 otherwise. Both are temporaries the caller owns, as are the
   * scratch tensors {@code first} and {@code second} ({@code [B, F]}); call it without autograd.
   */
  void applyWithTangentsInPlace(Tensor z, Tensor zdot, Tensor first, Tensor second) {
    if (this == SILU) {
      Tensor s = torch.sigmoid_out(first, z);
      Tensor h = z.mul_(s);
      zdot.mul_(torch.add_out(second, s, h).addcmul_(h, s, Torch.scalar(-1)));
      return;
    }
    // GELU differentiates at z (before z is overwritten), tanh and ReLU at h
    boolean atInput = this == GELU;
    if (!atInput) {
      applyToTemporary(z);
    }
    if (zdot.size(0) == 1) {
      Tensor v = zdot.select(0, 0);
      derivativeTimes(v, z, v);
    } else {
      // one derivative for all K tangents, then K products
      zdot.mul_(derivativeTimes(first, z, second.fill_(Torch.scalar(1))));
    }
    if (atInput) {
      applyToTemporary(z);
    }
  }

  /** act'(·) ⊙ v into {@code out}; {@code at} is z for GELU and h = act(z) for tanh and ReLU. */
  private Tensor derivativeTimes(Tensor out, Tensor at, Tensor v) {
    switch (this) {
      case GELU: return torch.gelu_backward_out(out, v, at, "none");
      case TANH: return torch.tanh_backward_out(out, v, at);
      case RELU: return torch.threshold_backward_out(out, v, at, Torch.scalar(0));
      default: throw new AssertionError(this);
    }
  }

  /** Parses {@code silu}, {@code gelu}, {@code tanh} or {@code relu} (any case). */
  public static Activation parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("activation must be one of silu, gelu, tanh, relu, got '" + name + "'");
    }
  }
}
