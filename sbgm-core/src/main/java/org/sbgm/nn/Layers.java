package org.sbgm.nn;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.ConvTranspose2dImpl;
import org.bytedeco.pytorch.ConvTranspose2dOptions;
import org.bytedeco.pytorch.GroupNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** Factories for libtorch layers with argument checks, and small functional pieces shared by the networks. */
final class Layers {
  private Layers() {}

  static LinearImpl linear(long in, long out) {
    if (in < 1 || out < 1) {
      throw new InvalidInputException("a linear layer needs positive sizes, got " + in + " -> " + out);
    }
    return new LinearImpl(in, out);
  }

  /** A square convolution {@code in -> out} with kernel {@code k}, stride and zero padding. */
  static Conv2dImpl conv(long in, long out, long k, long stride, long padding) {
    if (in < 1 || out < 1) {
      throw new InvalidInputException("a convolution needs positive channel counts, got " + in + " -> " + out);
    }
    Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(k, k));
    o.stride().put(new long[] {stride, stride});
    o.padding().put(new LongPointer(padding, padding));
    return new Conv2dImpl(o);
  }

  /** A square transposed convolution with kernel {@code k} and stride {@code stride}, no padding. */
  static ConvTranspose2dImpl convTranspose(long in, long out, long k, long stride) {
    ConvTranspose2dOptions o = new ConvTranspose2dOptions(in, out, new LongPointer(k, k));
    o.stride().put(new long[] {stride, stride});
    return new ConvTranspose2dImpl(o);
  }

  /** GroupNorm over {@code channels} split into {@code groups} groups (affine, eps 1e-5). */
  static GroupNormImpl groupNorm(long groups, long channels) {
    if (groups < 1 || channels % groups != 0) {
      throw new InvalidInputException(
          "GroupNorm needs the channel count " + channels + " to be a multiple of the group count " + groups);
    }
    return new GroupNormImpl(groups, channels);
  }

  /**
   * {@code norm} with float32 statistics whatever x's type (mixed-precision training keeps
   * normalisation statistics in float32). A bfloat16 input on the CPU (under bfloat16 autocast) goes
   * to libtorch's mixed-type GroupNorm kernel, which accumulates the mean and variance and applies the
   * float32 scale and shift in float32, rounding only its output to bfloat16: the next SiLU and
   * convolution then read bfloat16 without two casts per layer (a U-Net bf16 step 0.81–0.85x the time
   * of widening first, on a Xeon with AMX). Elsewhere (half precision, CUDA, whose autocast widens
   * GroupNorm itself) the input is widened first and the result stays float32.
   */
  static Tensor groupNorm32(GroupNormImpl norm, Tensor x) {
    torch.ScalarType type = x.scalar_type().intern();
    boolean widen = type == torch.ScalarType.Half || (type == torch.ScalarType.BFloat16 && !x.is_cpu());
    return norm.forward(widen ? x.to(torch.ScalarType.Float) : x);
  }

  /** LayerNorm over the trailing dimensions {@code shape}, without scale or shift. */
  static Tensor layerNorm(Tensor x, double eps, long... shape) {
    return torch.layer_norm(x, shape, new TensorOptional(), new TensorOptional(), eps, true);
  }

  /** x (1 + scale) + shift, with scale and shift {@code [B, F]} broadcast over the token axis of x {@code [B, N, F]}. */
  static Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
    return x.mul(scale.unsqueeze(1).add(Torch.scalar(1.0))).add(shift.unsqueeze(1));
  }
}
