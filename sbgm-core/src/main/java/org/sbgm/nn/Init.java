package org.sbgm.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * Seeded parameter initialisation. libtorch's layer constructors draw from the global generator;
 * every network here overwrites those draws from its own {@link Generator} so that construction is
 * reproducible from a seed without touching global state.
 *
 * <p>{@link #pytorchDefault} reproduces the distribution of PyTorch's default for linear and
 * convolutional layers: weight and bias ~ U(-1/√fan_in, 1/√fan_in) with fan_in = numel(W)/size(W, 0)
 * (kaiming_uniform with a = √5). Parameters are visited in registration order, so the values are a
 * function of the seed and the architecture alone.
 */
final class Init {
  private Init() {}

  /** Re-draws every {@code *.weight} of rank ≥ 2 and its sibling {@code *.bias} as PyTorch's default does. */
  static void pytorchDefault(Module module, Generator g) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      StringTensorDict params = module.named_parameters(true);
      for (long i = 0; i < params.size(); i++) {
        String name = params.get(i).key().getString();
        Tensor w = params.get(i).value();
        if (!isWeight(name) || w.dim() < 2) {
          continue;
        }
        double bound = 1.0 / Math.sqrt((double) w.numel() / w.size(0));
        w.uniform_(-bound, bound, new GeneratorOptional(g));
        String bias = name.substring(0, name.length() - "weight".length()) + "bias";
        if (params.contains(bias)) {
          params.get(bias).uniform_(-bound, bound, new GeneratorOptional(g));
        }
      }
    }
  }

  /** Xavier-uniform for every {@code *.weight} of rank ≥ 2 (viewed as [out, rest]) and zero for its bias. */
  static void xavier(Module module, Generator g) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      StringTensorDict params = module.named_parameters(true);
      for (long i = 0; i < params.size(); i++) {
        String name = params.get(i).key().getString();
        Tensor w = params.get(i).value();
        if (!isWeight(name) || w.dim() < 2) {
          continue;
        }
        long fanOut = w.size(0);
        long fanIn = w.numel() / fanOut;
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        w.uniform_(-bound, bound, new GeneratorOptional(g));
        String bias = name.substring(0, name.length() - "weight".length()) + "bias";
        if (params.contains(bias)) {
          params.get(bias).zero_();
        }
      }
    }
  }

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

  private static boolean isWeight(String name) {
    return name.equals("weight") || name.endsWith(".weight");
  }
}
