package org.sbgm.nn;

import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SharedModuleVector;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * Seeded parameter initialisation. libtorch's layer constructors draw from the global generator;
 * every network here overwrites those draws from its own {@link Generator} so that construction is
 * reproducible from a seed without touching global state.
 *
 * <p>{@link #pytorchDefault} reproduces the distribution of PyTorch's default for linear and
 * convolutional layers: weight and bias ~ U(-1/√fan_in, 1/√fan_in) with fan_in = numel(W)/size(W, 0)
 * (kaiming_uniform with a = √5). Layers are visited in registration order (pre-order), so the values are
 * a function of the seed and the architecture alone. Norm layers keep their deterministic ones and zeros.
 */
final class Init {
  private Init() {}

  /** Re-draws the weight and bias of every linear and (transposed) convolution layer as PyTorch's default does. */
  static void pytorchDefault(Module module, Generator g) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      forEachAffineLayer(module, (w, b) -> {
        double bound = 1.0 / Math.sqrt((double) w.numel() / w.size(0));
        w.uniform_(-bound, bound, new GeneratorOptional(g));
        if (b != null) {
          b.uniform_(-bound, bound, new GeneratorOptional(g));
        }
      });
    }
  }

  /** Xavier-uniform for the weight of every linear and convolution layer (viewed as [out, rest]) and zero for its bias. */
  static void xavier(Module module, Generator g) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      forEachAffineLayer(module, (w, b) -> {
        long fanOut = w.size(0);
        long fanIn = w.numel() / fanOut;
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        w.uniform_(-bound, bound, new GeneratorOptional(g));
        if (b != null) {
          b.zero_();
        }
      });
    }
  }

  /**
   * Calls {@code f(weight, bias-or-null)} for each libtorch Linear, Conv and ConvTranspose layer in pre-order;
   * norm layers (whose LayerNorm weight may also have rank 2) are left at their ones and zeros.
   */
  private static void forEachAffineLayer(Module root, BiConsumer<Tensor, Tensor> f) {
    SharedModuleVector modules = root.modules(true);
    for (long i = 0; i < modules.size(); i++) {
      Module m = modules.get(i);
      if (!AFFINE.matcher(m.name().getString()).matches()) {
        continue;
      }
      StringTensorDict params = m.named_parameters(false);
      f.accept(params.get("weight"), params.contains("bias") ? params.get("bias") : null);
    }
  }

  private static final Pattern AFFINE = Pattern.compile("torch::nn::(Linear|Conv[123]d|ConvTranspose[123]d)Impl");

  /** N(0, std²) draws into {@code t}. */
  static void normal(Tensor t, double std, Generator g) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      t.normal_(0.0, std, new GeneratorOptional(g));
    }
  }

  /** Zeros {@code t} in place (the adaLN-Zero initialisation). */
  static void zero(Tensor t) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      t.zero_();
    }
  }
}
