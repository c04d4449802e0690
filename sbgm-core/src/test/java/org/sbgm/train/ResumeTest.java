package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.torch.Torch;

/** 2N steps straight equal N steps, checkpoint, a fresh trainer resumed from the file, N more: bit for bit. */
class ResumeTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  @Test
  void resumeIsBitExactWithSigmaSquaredStratified() throws Exception {
    check(config().withTimes(1e-5, Weighting.SIGMA_SQUARED, true), "sigma2");
  }

  @Test
  void resumeIsBitExactWithImportanceSampledLikelihood() throws Exception {
    check(config().withTimes(1e-5, Weighting.LIKELIHOOD, false), "likelihood");
  }

  static TrainerConfig config() {
    // 100 samples, batch 64: batches straddle epochs; validation every 7 steps interleaves EMA swaps.
    return TrainerConfig.defaults(40).withBatchSize(64).withLearningRate(1e-2, 10).withGradClipNorm(0.5)
        .withEmaRate(0.9).withWeightDecay(1e-3).withSchedule(7, 0).withSeed(42);
  }

  void check(TrainerConfig config, String name) throws Exception {
    Tensor data = Fixtures.mixture(100, 1);
    Tensor valid = Fixtures.mixture(50, 2);
    long half = config.steps() / 2;

    List<Double> straightValidation = new ArrayList<>();
    Trainer straight = new Trainer(Fixtures.model(1, 32), config, TrainingSet.of(data), TrainingSet.of(valid))
        .addListener(validations(straightValidation));
    straight.trainUntil(config.steps());

    Trainer first = new Trainer(Fixtures.model(1, 32), config, TrainingSet.of(data), TrainingSet.of(valid));
    first.trainUntil(half);
    Path file = dir.resolve(name + ".pt");
    first.saveCheckpoint(file);

    List<Double> resumedValidation = new ArrayList<>();
    // A different initialisation: everything must come from the checkpoint.
    Trainer resumed = new Trainer(Fixtures.model(99, 32), config, TrainingSet.of(data), TrainingSet.of(valid))
        .addListener(validations(resumedValidation));
    resumed.resume(file);
    assertEquals(half, resumed.step());
    resumed.trainUntil(config.steps());

    assertEquals(straight.step(), resumed.step());
    assertEquals(straight.position(), resumed.position());
    assertEquals(straight.ema().updates(), resumed.ema().updates());
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> a = named(straight);
      Map<String, Tensor> b = named(resumed);
      assertEquals(a.keySet(), b.keySet());
      for (String k : a.keySet()) {
        assertArrayEquals(Torch.toFloats(a.get(k)), Torch.toFloats(b.get(k)), 0f, "weights " + k);
        assertArrayEquals(Torch.toFloats(straight.ema().shadows().get(k)),
            Torch.toFloats(resumed.ema().shadows().get(k)), 0f, "EMA weights " + k);
      }
      List<AdamWStates.State> sa = AdamWStates.of(straight.optimizer());
      List<AdamWStates.State> sb = AdamWStates.of(resumed.optimizer());
      assertEquals(a.size(), sa.size());
      for (int i = 0; i < sa.size(); i++) {
        assertEquals(config.steps(), sa.get(i).step());
        assertEquals(sa.get(i).step(), sb.get(i).step());
        assertArrayEquals(sa.get(i).expAvg(), sb.get(i).expAvg(), 0f, "exp_avg " + i);
        assertArrayEquals(sa.get(i).expAvgSq(), sb.get(i).expAvgSq(), 0f, "exp_avg_sq " + i);
      }
      // The generators continue identically too: both save the same RNG states.
      Path fa = dir.resolve(name + "-a.pt");
      Path fb = dir.resolve(name + "-b.pt");
      straight.saveCheckpoint(fa);
      resumed.saveCheckpoint(fb);
      try (Checkpoint ca = Checkpoint.read(fa); Checkpoint cb = Checkpoint.read(fb)) {
        for (String rng : new String[] {"rng/time", "rng/noise"}) {
          assertTrue(Arrays.equals(Torch.toDoubles(ca.tensor(rng)), Torch.toDoubles(cb.tensor(rng))), rng);
        }
      }
      // The run really trained (the comparison has power): weights moved away from the checkpoint's.
      try (Checkpoint mid = Checkpoint.read(file)) {
        String k = a.keySet().iterator().next();
        assertFalse(Arrays.equals(Torch.toFloats(mid.tensors("model").get(k)), Torch.toFloats(a.get(k))));
      }
    }
    // Validation losses after the split (steps 21, 28, 35) are bit-identical as well.
    List<Double> tail = straightValidation.subList(straightValidation.size() - resumedValidation.size(),
        straightValidation.size());
    assertEquals(3, resumedValidation.size());
    assertEquals(tail, resumedValidation);
  }

  static TrainingListener validations(List<Double> out) {
    return new TrainingListener() {
      @Override
      public void onValidation(long step, double loss) {
        out.add(loss);
      }
    };
  }

  static Map<String, Tensor> named(Trainer t) {
    var dict = t.model().network().module().named_parameters(true);
    Map<String, Tensor> m = new java.util.LinkedHashMap<>();
    for (long i = 0; i < dict.size(); i++) {
      m.put(dict.get(i).key().getString(), dict.get(i).value());
    }
    return m;
  }
}
