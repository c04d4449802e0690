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
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.DataPosition;
import org.sbgm.data.TensorDataset;
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

  /**
   * A layer that gets no gradient in some steps: AdamW leaves it alone there, so its update count falls behind
   * the others'; the counts and moments survive the checkpoint and the resumed run still ends bit for bit.
   */
  @Test
  void resumeIsBitExactWhenSomeStepsLeaveAParameterWithoutAGradient() throws Exception {
    TrainerConfig config = TrainerConfig.defaults(30).withBatchSize(32).withLearningRate(1e-2, 5).withGradClipNorm(0)
        .withEmaRate(0.9).withWeightDecay(1e-2).withSchedule(0, 0).withSeed(7);
    Tensor data = Fixtures.mixture(100, 1);
    Trainer straight = new Trainer(skipping(1), config, new TensorDataset(data), null);
    straight.trainUntil(30);
    Trainer first = new Trainer(skipping(1), config, new TensorDataset(data), null);
    first.trainUntil(15);
    Path file = dir.resolve("skipping.pt");
    first.saveCheckpoint(file);
    Trainer resumed = new Trainer(skipping(5), config, new TensorDataset(data), null);
    resumed.resume(file);
    assertEquals(first.optimizer().stepCounts(), resumed.optimizer().stepCounts());
    resumed.trainUntil(30);
    TrainingStates.assertIdentical(straight, resumed);
    Map<String, Long> counts = straight.optimizer().stepCounts();
    long hidden = counts.get("hidden.weight");
    assertEquals(30L, counts.get("in.weight"));
    assertTrue(hidden > 5 && hidden < 25, "the hidden layer was bypassed in some steps, not all: " + counts);
    assertEquals(hidden, counts.get("hidden.bias"));
  }

  private static org.sbgm.score.ScoreModel skipping(long init) {
    torch.manual_seed(init);
    TinyMlp net = new TinyMlp(2, 16);
    net.skipHiddenBelow = 0.4;
    return new org.sbgm.score.ScoreModel(net, new TestVpSde());
  }

  static TrainerConfig config() {
    // 100 samples, batch 32: three batches per epoch (4 samples skipped), so the split at step 20 falls
    // inside epoch 6; validation every 7 steps interleaves EMA swaps.
    return TrainerConfig.defaults(40).withBatchSize(32).withLearningRate(1e-2, 10).withGradClipNorm(0.5)
        .withEmaRate(0.9).withWeightDecay(1e-3).withSchedule(7, 0).withSeed(42);
  }

  void check(TrainerConfig config, String name) throws Exception {
    Tensor data = Fixtures.mixture(100, 1);
    Tensor valid = Fixtures.mixture(50, 2);
    long half = config.steps() / 2;

    List<Double> straightValidation = new ArrayList<>();
    Trainer straight = new Trainer(Fixtures.model(1, 32), config, new TensorDataset(data), new TensorDataset(valid))
        .addListener(validations(straightValidation));
    straight.trainUntil(config.steps());

    Trainer first = new Trainer(Fixtures.model(1, 32), config, new TensorDataset(data), new TensorDataset(valid));
    first.trainUntil(half);
    assertEquals(new DataPosition(6, 64), first.position(), "20 steps = 6 epochs of 3 batches and 2 batches");
    Path file = dir.resolve(name + ".pt");
    first.saveCheckpoint(file);

    List<Double> resumedValidation = new ArrayList<>();
    // A different initialisation: everything must come from the checkpoint.
    Trainer resumed = new Trainer(Fixtures.model(99, 32), config, new TensorDataset(data), new TensorDataset(valid))
        .addListener(validations(resumedValidation));
    resumed.resume(file);
    assertEquals(half, resumed.step());
    assertEquals(new DataPosition(6, 64), resumed.position());
    resumed.trainUntil(config.steps());

    assertEquals(straight.step(), resumed.step());
    assertEquals(new DataPosition(13, 32), straight.position(), "40 steps = 13 epochs of 3 batches and 1 batch");
    assertEquals(straight.position(), resumed.position());
    TrainingStates.assertIdentical(straight, resumed);
    // The run really trained (the comparison has power): weights moved away from the checkpoint's.
    try (PointerScope scope = new PointerScope(); Checkpoint mid = Checkpoint.read(file)) {
      Map<String, Tensor> a = TrainingStates.weights(straight);
      String k = a.keySet().iterator().next();
      assertFalse(Arrays.equals(Torch.toFloats(mid.tensors("model").get(k)), Torch.toFloats(a.get(k))));
    }
    // Validation losses after the split (steps 21, 28, 35) are bit-identical as well.
    List<Double> tail = straightValidation.subList(straightValidation.size() - resumedValidation.size(),
        straightValidation.size());
    assertEquals(3, resumedValidation.size());
    assertEquals(tail, resumedValidation);
    assertTrue(resumedValidation.stream().allMatch(Double::isFinite));
  }

  static TrainingListener validations(List<Double> out) {
    return new TrainingListener() {
      @Override
      public void onValidation(long step, double loss) {
        out.add(loss);
      }
    };
  }
}
