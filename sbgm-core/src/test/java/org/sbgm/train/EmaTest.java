package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

class EmaTest {
  /**
   * The EMA must hold its own handles on the parameters: the dict that named_parameters returns is
   * freed with its scope, and a handle pointing into it crashed the JVM in lerp_ once the freed memory
   * was reused (a 1500-step U-Net run). A regression guard: the churn below makes reuse likely, not
   * certain, so a dangling handle may also pass here.
   */
  @Test
  void survivesTheReleaseOfTheParameterDict() {
    Torch.init();
    torch.manual_seed(5);
    LinearImpl lin = new LinearImpl(64, 64);
    Ema ema;
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      ema = new Ema(lin, 0.5, false); // the dict it reads is freed when this scope closes
    }
    for (int round = 0; round < 5; round++) {
      for (int j = 0; j < 200; j++) {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
          lin.named_parameters(true); // reuses the freed memory
          torch.randn(new long[] {8, 8});
        }
      }
      System.gc();
      ema.update();
    }
    // All updates averaged the unchanged weight with itself: the shadow equals the weight.
    assertArrayEquals(Torch.toFloats(lin.weight()), Torch.toFloats(ema.shadows().get("weight")), 0f);
  }

  @Test
  void followsTheRecurrenceAndSwapsExactly() {
    Torch.init();
    torch.manual_seed(3);
    LinearImpl lin = new LinearImpl(3, 2);
    Tensor w = lin.weight();
    double[] shadow = Torch.toDoubles(w);
    Ema ema = new Ema(lin, 0.9, false);
    for (int k = 1; k <= 5; k++) {
      try (NoGradGuard ng = new NoGradGuard()) {
        w.add_(Torch.scalar(0.25 * k));
      }
      ema.update();
      double[] p = Torch.toDoubles(w);
      for (int i = 0; i < shadow.length; i++) {
        shadow[i] = 0.9 * shadow[i] + 0.1 * p[i];
      }
    }
    assertEquals(5, ema.updates());
    assertArrayEquals(shadow, Torch.toDoubles(ema.shadows().get("weight")), 1e-6);

    float[] online = Torch.toFloats(w);
    float[] averaged = Torch.toFloats(ema.shadows().get("weight"));
    ema.swap();
    assertArrayEquals(averaged, Torch.toFloats(w), 0f);
    assertArrayEquals(online, Torch.toFloats(ema.shadows().get("weight")), 0f);
    ema.swap();
    assertArrayEquals(online, Torch.toFloats(w), 0f);

    LinearImpl other = new LinearImpl(3, 2);
    ema.copyTo(other);
    assertArrayEquals(averaged, Torch.toFloats(other.weight()), 0f);

    Map<String, Tensor> saved = new LinkedHashMap<>();
    ema.shadows().forEach((k, v) -> saved.put(k, v.clone()));
    Ema restored = new Ema(new LinearImpl(3, 2), 0.9, false);
    restored.load(saved, ema.updates());
    assertArrayEquals(averaged, Torch.toFloats(restored.shadows().get("weight")), 0f);
    assertEquals(5, restored.updates());
  }

  @Test
  void warmupDecayIsOnePlusNOverTenPlusN() {
    Torch.init();
    Ema ema = new Ema(new LinearImpl(2, 2), 0.999);
    assertEquals(0.1, ema.nextDecay(), 1e-15);
    ema.update();
    assertEquals(2.0 / 11.0, ema.nextDecay(), 1e-15);
    Ema capped = new Ema(new LinearImpl(2, 2), 0.5);
    for (int i = 0; i < 20; i++) {
      capped.update();
    }
    assertEquals(0.5, capped.nextDecay(), 0.0);
  }
}
