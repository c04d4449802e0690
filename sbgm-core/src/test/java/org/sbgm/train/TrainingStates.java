package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/** Test helper: bit-for-bit comparison of two trainers' whole training state. */
final class TrainingStates {
  private TrainingStates() {}

  /** The trainer's network parameters by name. */
  static Map<String, Tensor> weights(Trainer t) {
    return named(t.model().network().module().named_parameters(true));
  }

  static Map<String, Tensor> named(StringTensorDict dict) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (long i = 0; i < dict.size(); i++) {
      m.put(dict.get(i).key().getString(), new Tensor(dict.get(i).value()));
    }
    return m;
  }

  /**
   * Asserts equal steps and positions and bit-identical weights, buffers, EMA weights, AdamW state
   * (step, exp_avg, exp_avg_sq of every parameter) and generator states (every generator of the state).
   */
  static void assertIdentical(Trainer a, Trainer b) throws IOException {
    assertEquals(a.step(), b.step());
    assertEquals(a.position(), b.position());
    assertEquals(a.ema().updates(), b.ema().updates());
    assertEquals(a.state().averagedWeightsInPlace(), b.state().averagedWeightsInPlace());
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> wa = weights(a);
      Map<String, Tensor> wb = weights(b);
      assertEquals(wa.keySet(), wb.keySet());
      for (String k : wa.keySet()) {
        assertArrayEquals(Torch.toFloats(wa.get(k)), Torch.toFloats(wb.get(k)), 0f, "weights " + k);
        assertArrayEquals(Torch.toFloats(a.ema().shadows().get(k)), Torch.toFloats(b.ema().shadows().get(k)), 0f,
            "EMA weights " + k);
      }
      Map<String, Tensor> ba = named(a.model().network().module().named_buffers(true));
      Map<String, Tensor> bb = named(b.model().network().module().named_buffers(true));
      assertEquals(ba.keySet(), bb.keySet());
      for (String k : ba.keySet()) {
        assertArrayEquals(Torch.toDoubles(ba.get(k)), Torch.toDoubles(bb.get(k)), 0.0, "buffer " + k);
      }
      assertEquals(a.step(), a.optimizer().steps(), "AdamW steps");
      assertEquals(a.optimizer().stepCounts(), b.optimizer().stepCounts());
      assertEquals(wa.keySet(), a.optimizer().expAvg().keySet());
      for (String k : wa.keySet()) {
        assertArrayEquals(Torch.toFloats(a.optimizer().expAvg().get(k)), Torch.toFloats(b.optimizer().expAvg().get(k)), 0f,
            "exp_avg " + k);
        assertArrayEquals(Torch.toFloats(a.optimizer().expAvgSq().get(k)), Torch.toFloats(b.optimizer().expAvgSq().get(k)),
            0f, "exp_avg_sq " + k);
      }
      Map<String, Generator> ga = a.state().generators();
      Map<String, Generator> gb = b.state().generators();
      assertEquals(ga.keySet(), gb.keySet());
      for (String k : ga.keySet()) {
        assertArrayEquals(Torch.toDoubles(ga.get(k).get_state()), Torch.toDoubles(gb.get(k).get_state()), 0.0,
            "generator " + k);
      }
    }
  }

  /** Asserts that some weight of {@code a} differs from {@code b}'s. */
  static void assertWeightsDiffer(Trainer a, Trainer b, String why) {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> wa = weights(a);
      Map<String, Tensor> wb = weights(b);
      boolean differ = false;
      for (String k : wa.keySet()) {
        differ |= !Arrays.equals(Torch.toFloats(wa.get(k)), Torch.toFloats(wb.get(k)));
      }
      org.junit.jupiter.api.Assertions.assertTrue(differ, why);
    }
  }
}
