package org.sbgm.solve;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** The reference counting of the integration loop: what it keeps across step scopes, and the hand-over of results. */
final class Ownership {
  private Ownership() {}

  static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }

  static void release(Tensor t) {
    if (t != null) {
      t.releaseReference();
    }
  }

  /**
   * Hands the result tensors to the caller. The loop holds one reference per occurrence of each tensor
   * (the final state is often also a saved state); each distinct tensor ends up owned once: by the scope
   * open around the call if there is one, otherwise by the caller (who may {@code close()} it).
   */
  static void handOver(PointerScope outer, Tensor y, List<Tensor> saved) {
    Map<Tensor, Integer> held = new IdentityHashMap<>();
    held.merge(y, 1, Integer::sum);
    for (Tensor t : saved) {
      held.merge(t, 1, Integer::sum);
    }
    for (Map.Entry<Tensor, Integer> e : held.entrySet()) {
      Tensor t = e.getKey();
      int extra = e.getValue() - 1;
      if (outer != null) {
        outer.attach(t);
        extra++;
      }
      for (int i = 0; i < extra; i++) {
        t.releaseReference();
      }
    }
  }
}
