package org.sbgm.train;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.nn.Network;
import org.sbgm.torch.Torch;

/** Test stand-in network: MLP on [x, t, sin/cos features of t] with SiLU; optionally poisoned with a NaN output or a NaN gradient. */
final class TinyMlp extends Module implements Network {
  private final LinearImpl in;
  private final LinearImpl hidden;
  private final LinearImpl out;
  volatile boolean poisoned;
  volatile boolean nanGradient;
  /**
   * With autograd on, the hidden layer is bypassed for a batch whose first time is below this (NaN: never), so
   * that its parameters get no gradient in some steps; the times come from the run's generator, so a resumed
   * run bypasses in the same steps.
   */
  volatile double skipHiddenBelow = Double.NaN;
  /** What {@link #generators()} lists (none by default: the network draws no noise). */
  java.util.Map<String, org.bytedeco.pytorch.Generator> generators = java.util.Map.of();

  TinyMlp(int dim, int width) {
    in = register_module("in", new LinearImpl(dim + 5, width));
    hidden = register_module("hidden", new LinearImpl(width, width));
    out = register_module("out", new LinearImpl(width, dim));
  }

  @Override
  public java.util.Map<String, org.bytedeco.pytorch.Generator> generators() {
    return generators;
  }

  @Override
  public Module module() {
    return this;
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Tensor tt = t.reshape(-1, 1);
    Tensor features = torch.cat(new TensorVector(x, tt,
        tt.mul(Torch.scalar(Math.PI)).sin(), tt.mul(Torch.scalar(Math.PI)).cos(),
        tt.mul(Torch.scalar(4 * Math.PI)).sin(), tt.mul(Torch.scalar(4 * Math.PI)).cos()), 1);
    Tensor h = torch.silu(in.forward(features));
    boolean skip = org.bytedeco.pytorch.GradMode.is_enabled() && tt.select(0, 0).item_double() < skipHiddenBelow;
    if (!skip) {
      h = torch.silu(hidden.forward(h));
    }
    Tensor y = out.forward(h);
    if (nanGradient) {
      // Adds 0 · sqrt(w - w): a finite (zero) value whose gradient is 0 · ∞ = NaN.
      Tensor w = in.weight();
      y = y.add(w.sub(w).sqrt().sum().mul(Torch.scalar(0.0)));
    }
    return poisoned ? y.mul(Torch.scalar(Double.NaN)) : y;
  }
}
