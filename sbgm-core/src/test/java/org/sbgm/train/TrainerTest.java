package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.data.TensorDataset;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class TrainerTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void init() {
    Torch.init();
  }

  @Test
  void validationLossFallsOnGaussianMixture() {
    Tensor data = Fixtures.mixture(2048, 1);
    Tensor valid = Fixtures.mixture(512, 2);
    TrainerConfig config = TrainerConfig.defaults(200).withBatchSize(128).withLearningRate(3e-3, 20)
        .withEmaRate(0.99).withSchedule(100, 0).withSeed(7);
    Trainer trainer = new Trainer(Fixtures.model(3, 64), config, new TensorDataset(data), new TensorDataset(valid));
    double initial = trainer.validationLoss();
    List<Double> validation = new ArrayList<>();
    trainer.addListener(new TrainingListener() {
      @Override
      public void onValidation(long step, double loss) {
        validation.add(loss);
      }
    });
    long start = System.nanoTime();
    TrainingResult result = trainer.train();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("validation loss: initial %.4f, at steps 100 and 200 %s, final %.4f (%.2f s for 200 steps)%n",
        initial, validation, result.lastValidationLoss(), seconds);
    assertEquals(200, result.steps());
    assertEquals(2, validation.size());
    assertTrue(result.lastValidationLoss() < 0.7 * initial,
        "final validation loss " + result.lastValidationLoss() + " should be clearly below the initial " + initial);
    assertTrue(validation.get(1) < validation.get(0), "validation should keep falling: " + validation);
    // The result's network holds the EMA weights: a checkpoint written now stores them as ema/*, and the
    // online weights (model/*) differ.
    Path file = dir.resolve("after.pt");
    try {
      trainer.saveCheckpoint(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (Checkpoint c = Checkpoint.read(file)) {
      var p = result.model().network().module().named_parameters(true);
      for (long i = 0; i < p.size(); i++) {
        String k = p.get(i).key().getString();
        assertArrayEquals(Torch.toFloats(c.tensors("ema").get(k)), Torch.toFloats(p.get(i).value()), 0f, k);
        assertTrue(!java.util.Arrays.equals(Torch.toFloats(c.tensors("model").get(k)), Torch.toFloats(p.get(i).value())));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(result.lastValidationLoss(), trainer.validationLoss(), 0.0, "EMA weights in place: same validation");
  }

  @Test
  void warmupScheduleAndClippingApplyEveryStep() {
    Tensor data = Fixtures.mixture(256, 1);
    double lr = 4e-3;
    long warmup = 8;
    double clip = 0.05;
    TrainerConfig config = TrainerConfig.defaults(12).withBatchSize(32).withLearningRate(lr, warmup)
        .withGradClipNorm(clip);
    ScoreModel model = Fixtures.model(5, 16);
    Trainer trainer = new Trainer(model, config, new TensorDataset(data), null);
    List<double[]> seen = new ArrayList<>();
    trainer.addListener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double rate) {
        double norm = GradientClipping.globalNorm(model.network().module().parameters(true));
        seen.add(new double[] {step, rate, trainer.learningRate(), norm});
      }
    });
    trainer.trainUntil(12);
    assertEquals(12, seen.size());
    for (double[] s : seen) {
      double expected = lr * Math.min(1.0, s[0] / warmup);
      assertEquals(expected, s[1], 1e-18, "reported lr at step " + s[0]);
      assertEquals(expected, s[2], 1e-18, "optimiser lr at step " + s[0]);
      assertTrue(s[3] <= clip * (1 + 1e-6), "gradient norm after clipping " + s[3] + " at step " + s[0]);
      assertTrue(s[3] > 0.5 * clip, "clipping was active (raw gradients are larger than " + clip + ")");
    }
  }

  @Test
  void nanFromTheNetworkStopsAndKeepsTheLastCheckpoint() throws Exception {
    Tensor data = Fixtures.mixture(256, 1);
    TrainerConfig config = TrainerConfig.defaults(20).withBatchSize(32).withSchedule(0, 3);
    ScoreModel model = Fixtures.model(5, 16);
    TinyMlp net = (TinyMlp) model.network();
    byte[][] lastGood = new byte[1][];
    Trainer trainer = new Trainer(model, config, new TensorDataset(data), null).checkpointTo(dir);
    trainer.addListener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double rate) {
        if (step == 7) {
          net.poisoned = true;
        }
      }

      @Override
      public void onCheckpoint(long step, Path path) {
        try {
          lastGood[0] = Files.readAllBytes(path);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    TrainingException e = assertThrows(TrainingException.class, trainer::train);
    System.out.println(e.getMessage());
    assertEquals(8, e.step());
    assertTrue(e.getMessage().startsWith("Training stopped at step 8: the training loss is NaN"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertArrayEquals(lastGood[0], Files.readAllBytes(file), "the last checkpoint is untouched");
    try (Checkpoint c = Checkpoint.read(file)) {
      assertEquals("6", c.get("step"));
    }
    assertThrows(IllegalStateException.class, () -> trainer.trainUntil(20));
  }

  @Test
  void nanGradientWithFiniteLossStops() {
    Tensor data = Fixtures.mixture(256, 1);
    ScoreModel model = Fixtures.model(5, 16);
    Trainer trainer = new Trainer(model, TrainerConfig.defaults(10).withBatchSize(32), new TensorDataset(data), null);
    trainer.addListener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double rate) {
        ((TinyMlp) model.network()).nanGradient = step == 2;
      }
    });
    TrainingException e = assertThrows(TrainingException.class, trainer::train);
    System.out.println(e.getMessage());
    assertEquals(3, e.step());
    assertTrue(e.getMessage().startsWith("Training stopped at step 3: the gradient norm is NaN"), e.getMessage());
  }

  @Test
  void infiniteLossFromHugeDataStops() {
    double[] x = new double[64 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) * 0.1;
    }
    x[17] = 1e30;
    Tensor data = Torch.tensor(x, DType.FLOAT32, 64, 2);
    TrainerConfig config = TrainerConfig.defaults(5).withBatchSize(64);
    Trainer trainer = new Trainer(Fixtures.model(5, 16), config, new TensorDataset(data), null);
    TrainingException e = assertThrows(TrainingException.class, trainer::train);
    System.out.println(e.getMessage());
    assertEquals(1, e.step());
    assertTrue(e.getMessage().contains("step 1:") && e.getMessage().contains("no checkpoint was written"),
        e.getMessage());
  }

  @Test
  void rejectsValidationScheduleWithoutData() {
    Tensor data = Fixtures.mixture(16, 1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new Trainer(Fixtures.model(1, 8), TrainerConfig.defaults(5).withSchedule(2, 0), new TensorDataset(data), null));
    assertEquals("validateEvery is 2 but no validation set was given; expected a validation set, or validateEvery 0.",
        e.getMessage());
    InvalidInputException big = assertThrows(InvalidInputException.class,
        () -> new Trainer(Fixtures.model(1, 8), TrainerConfig.defaults(5).withBatchSize(17), new TensorDataset(data), null));
    assertEquals("batchSize 17 exceeds the 16 training samples; expected at most 16, since every step draws batchSize"
        + " distinct samples.", big.getMessage());
  }
}
