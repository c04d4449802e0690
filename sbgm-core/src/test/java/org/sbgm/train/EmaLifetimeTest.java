package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/**
 * The EMA keeps its own handles to the module's parameters. It used to keep the views that
 * {@code named_parameters().get(i).value()} returns, which point into a dictionary the garbage
 * collector frees: after a collection, updates read freed memory (wrong averages, or a SIGSEGV in
 * lerp_ that killed the test JVM in 2 of about 10 runs of ResumeTest). This test catches it only by
 * chance (the freed memory must be reused in between): in about 1 of 3 runs of the old code.
 */
class EmaLifetimeTest {
  @Test
  void updatesStayCorrectAfterGarbageCollections() throws InterruptedException {
    Torch.init();
    torch.manual_seed(17);
    LinearImpl lin = new LinearImpl(64, 64);
    Ema ema = new Ema(lin, 0.9, false);
    float[] weights = Torch.toFloats(lin.weight());
    for (int round = 0; round < 50; round++) {
      System.gc();
      Thread.sleep(10);
      for (int i = 0; i < 2000; i++) {
        // Dictionaries made and dropped, so freed native memory is reused.
        StringTensorDict d = lin.named_parameters(true);
        d.get(0).value();
      }
      ema.update();
      // The weights do not move, so their average is exactly the weights.
      assertArrayEquals(weights, Torch.toFloats(ema.shadows().get("weight")), 0f, "round " + round);
    }
    assertEquals(50, ema.updates());
  }
}
