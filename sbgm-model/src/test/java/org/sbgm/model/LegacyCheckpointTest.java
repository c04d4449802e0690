package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.torch.Torch;
import org.sbgm.train.Checkpoint;
import org.sbgm.train.CheckpointSchema;

/**
 * A version-2 checkpoint (AdamW's state in libtorch's optimiser archive), written by the release before
 * {@code FusedAdamW} after 3 steps of {@code legacy-v2/tiny.yaml}, resumes to step 6 with this library and ends
 * where that release's own resume ended ({@code expected-step6.pt}): the same weights and EMA weights to float32
 * rounding (the fused kernel and libtorch's nine operators round differently), the same step and data position.
 * Resuming without the AdamW moments would miss by far more: the 3 steps of momentum are most of the update.
 */
class LegacyCheckpointTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(LegacyCheckpointTest.class.getResource("legacy-v2/" + name).toURI());
  }

  @Test
  void aVersionTwoRunResumesWhereItsOwnReleaseWent() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.copy(fixture("checkpoint-step3.pt"), run.resolve("checkpoint.pt"));
    try (Checkpoint old = Checkpoint.read(run.resolve("checkpoint.pt"))) {
      assertEquals("2", old.get("version"));
    }
    Training.fromFile(fixture("tiny.yaml")).steps(6).resume(run);
    try (PointerScope scope = new PointerScope(); Checkpoint now = Checkpoint.read(run.resolve("checkpoint.pt"));
        Checkpoint want = Checkpoint.read(fixture("expected-step6.pt"))) {
      assertEquals(Integer.toString(CheckpointSchema.VERSION), now.get("version"));
      assertEquals("6", now.get("step"));
      Map<String, Tensor> counts = now.tensors("adamw/step");
      assertEquals(now.tensors("model").keySet(), counts.keySet());
      counts.forEach((k, v) -> assertEquals(6, v.item_long(), "AdamW updates of " + k));
      for (String key : new String[] {"data.epoch", "data.offset", "ema.updates"}) {
        assertEquals(want.get(key), now.get(key), key);
      }
      double worst = 0;
      double moved = 0;
      try (Checkpoint start = Checkpoint.read(fixture("checkpoint-step3.pt"))) {
        for (String group : new String[] {"model", "ema"}) {
          Map<String, Tensor> a = now.tensors(group);
          Map<String, Tensor> b = want.tensors(group);
          Map<String, Tensor> s = start.tensors(group);
          assertEquals(b.keySet(), a.keySet());
          for (String k : b.keySet()) {
            float[] x = Torch.toFloats(a.get(k));
            float[] y = Torch.toFloats(b.get(k));
            float[] z = Torch.toFloats(s.get(k));
            for (int i = 0; i < y.length; i++) {
              worst = Math.max(worst, Math.abs(x[i] - y[i]));
              moved = Math.max(moved, Math.abs(y[i] - z[i]));
            }
          }
        }
      }
      assertTrue(worst < 1e-6, "max |Δθ| against the old release's resume: " + worst);
      assertTrue(moved > 1e-3, "the three steps moved the weights: " + moved);
    }
  }
}
