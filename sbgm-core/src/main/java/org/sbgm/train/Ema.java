package org.sbgm.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Exponential moving average of a module's parameters: after each optimiser step,
 * θ̄ ← d θ̄ + (1 - d) θ with decay d = rate, or, with warm-up, d = min(rate, (1 + n)/(10 + n)) after n
 * previous updates (as TensorFlow's ExponentialMovingAverage with num_updates), so short runs are not
 * dominated by the initial weights. Shadow copies live outside any pointer scope. Buffers are not
 * averaged.
 */
public final class Ema {
  private final Module module;
  private final double rate;
  private final boolean warmup;
  private final Map<String, Tensor> shadows = new LinkedHashMap<>();
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private long updates;
  private boolean stale;

  /** An EMA of {@code module}'s parameters with {@code rate} ∈ [0, 1) and warm-up. */
  public Ema(Module module, double rate) {
    this(module, rate, true);
  }

  public Ema(Module module, double rate, boolean warmup) {
    this.module = Objects.requireNonNull(module, "module");
    if (!(rate >= 0 && rate < 1)) {
      throw new InvalidInputException("EMA rate must lie in [0, 1), got " + rate);
    }
    this.rate = rate;
    this.warmup = warmup;
    Torch.init();
    try (NoGradGuard ng = new NoGradGuard()) {
      StringTensorDict named = module.named_parameters(true);
      for (long i = 0; i < named.size(); i++) {
        String name = named.get(i).key().getString();
        // value() wraps a reference into the dictionary, which the garbage collector may free once this
        // constructor returns; an owning handle (same storage) stays valid as long as the EMA.
        Tensor p = new Tensor(named.get(i).value());
        p.retainReference();
        parameters.put(name, p);
        Tensor s = p.detach().clone();
        s.retainReference();
        shadows.put(name, s);
      }
    }
  }

  public double rate() {
    return rate;
  }

  public boolean warmup() {
    return warmup;
  }

  /** The number of updates so far. */
  public long updates() {
    return updates;
  }

  /** The decay the next update will use. */
  public double nextDecay() {
    return warmup ? Math.min(rate, (1.0 + updates) / (10.0 + updates)) : rate;
  }

  /**
   * θ̄ ← d θ̄ + (1 - d) θ for every parameter (in place; no graph). With rate 0 the average is the
   * weights themselves: the copy is deferred until the shadows are read (swap, copyTo, shadows).
   */
  public void update() {
    double d = nextDecay();
    if (d == 0) {
      stale = true;
      updates++;
      return;
    }
    refresh();
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : shadows.entrySet()) {
        e.getValue().lerp_(parameters.get(e.getKey()), Torch.scalar(1.0 - d));
      }
    }
    updates++;
  }

  /** Brings deferred rate-0 updates into the shadows: θ̄ ← θ. */
  private void refresh() {
    if (!stale) {
      return;
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : shadows.entrySet()) {
        e.getValue().copy_(parameters.get(e.getKey()));
      }
    }
    stale = false;
  }

  /** Copies the averaged weights into {@code target}'s parameters (same names and shapes). */
  public void copyTo(Module target) {
    refresh();
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      StringTensorDict named = target.named_parameters(true);
      if (named.size() != shadows.size()) {
        throw new InvalidInputException(
            "target module has " + named.size() + " parameters, the EMA holds " + shadows.size());
      }
      for (long i = 0; i < named.size(); i++) {
        String name = named.get(i).key().getString();
        Tensor s = shadows.get(name);
        if (s == null) {
          throw new InvalidInputException("target module has a parameter '" + name + "' the EMA does not hold");
        }
        named.get(i).value().copy_(s);
      }
    }
  }

  /** Exchanges the averaged weights and the module's own weights (call twice to undo); exact. */
  public void swap() {
    refresh();
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : shadows.entrySet()) {
        Tensor p = parameters.get(e.getKey());
        Tensor held = p.detach().clone();
        p.copy_(e.getValue());
        e.getValue().copy_(held);
      }
    }
  }

  /** The live shadow tensors by parameter name (read-only map; do not resize the tensors). */
  public Map<String, Tensor> shadows() {
    refresh();
    return Collections.unmodifiableMap(shadows);
  }

  /** Restores saved state: copies {@code saved} into the shadows (names and shapes must match). */
  public void load(Map<String, Tensor> saved, long updateCount) {
    if (updateCount < 0) {
      throw new InvalidInputException("EMA update count must be non-negative, got " + updateCount);
    }
    if (!saved.keySet().equals(shadows.keySet())) {
      throw new InvalidInputException(
          "saved EMA holds parameters " + saved.keySet() + ", the module has " + shadows.keySet());
    }
    try (NoGradGuard ng = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : shadows.entrySet()) {
        Tensor src = saved.get(e.getKey());
        if (!java.util.Arrays.equals(Torch.shape(src), Torch.shape(e.getValue()))) {
          throw new InvalidInputException("saved EMA weight '" + e.getKey() + "' has shape "
              + java.util.Arrays.toString(Torch.shape(src)) + ", expected "
              + java.util.Arrays.toString(Torch.shape(e.getValue())));
        }
        e.getValue().copy_(src);
      }
    }
    this.updates = updateCount;
    this.stale = false;
  }
}
