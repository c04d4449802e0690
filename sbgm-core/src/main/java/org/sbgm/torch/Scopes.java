package org.sbgm.torch;

import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Native memory is freed by scope, not by the garbage collector. Work that allocates per step runs
 * inside a scope; a tensor that must outlive it is detached from the scope with {@link #keep}.
 */
public final class Scopes {
  private Scopes() {}

  /** Runs {@code body} in a fresh pointer scope and returns its tensor result alive past the scope. */
  public static Tensor run(Supplier<Tensor> body) {
    Tensor out;
    try (PointerScope scope = new PointerScope()) {
      out = body.get();
      out.retainReference();
    }
    return out;
  }

  /** Keeps {@code t} alive past the scope that created it (the caller now owns it: call {@code close()}). */
  public static Tensor keep(Tensor t) {
    t.retainReference();
    return t;
  }
}
