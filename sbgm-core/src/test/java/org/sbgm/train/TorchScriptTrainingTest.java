package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.TensorDataset;
import org.sbgm.nn.TorchScriptNetwork;
import org.sbgm.python.PythonFixtures;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A TorchScript module written by Python trains as a built-in network does: AdamW moves the tensors its
 * code reads, the EMA weights are what a finished run leaves in the module, runs replay from their seed
 * and resume bit for bit, although its dropout draws from libtorch's default generator (which the run
 * seeds and its checkpoints save).
 */
class TorchScriptTrainingTest {
  @TempDir static Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  static TensorDataset data(int n, long seed) {
    Generator g = Torch.generator(seed);
    Tensor x = Torch.randn(new long[] {n, 2}, g, Torch.options(DType.FLOAT32)).mul(Torch.scalar(0.3)).add(Torch.scalar(1.0));
    return new TensorDataset(x, null, null);
  }

  static Trainer trainer(String module, long seed, long steps) {
    ScoreModel model = new ScoreModel(TorchScriptNetwork.load(PythonFixtures.copy(module, dir)), new TestVpSde());
    TrainerConfig config = TrainerConfig.defaults(steps).withBatchSize(16).withLearningRate(3e-3, 3).withEmaRate(0.9)
        .withSchedule(steps / 4, 0).withSeed(seed);
    return new Trainer(model, config, data(64, 1), data(32, 2));
  }

  @Test
  void dropoutModulesReplayFromTheSeedAndResumeBitForBit() throws Exception {
    Trainer straight = trainer("dropout.pt", 42, 12);
    straight.trainUntil(12);
    assertEquals(Set.of("time", "noise", "default"), straight.state().generators().keySet());
    Trainer again = trainer("dropout.pt", 42, 12);
    again.trainUntil(12);
    TrainingStates.assertIdentical(straight, again);

    Trainer first = trainer("dropout.pt", 42, 12);
    first.trainUntil(6);
    Path file = dir.resolve("dropout-checkpoint.pt");
    first.saveCheckpoint(file);
    torch.getDefaultCPUGenerator().set_current_seed(999); // whatever happened in between
    Trainer resumed = trainer("dropout.pt", 42, 12);
    resumed.resume(file);
    resumed.trainUntil(12);
    TrainingStates.assertIdentical(straight, resumed);

    Trainer disturbed = trainer("dropout.pt", 42, 12);
    disturbed.resume(file);
    torch.getDefaultCPUGenerator().set_current_seed(12345);
    disturbed.trainUntil(12);
    TrainingStates.assertWeightsDiffer(straight, disturbed, "the module's dropout draws from the default generator");
    Trainer other = trainer("dropout.pt", 7, 12);
    other.trainUntil(12);
    TrainingStates.assertWeightsDiffer(straight, other, "another seed gives other weights");
  }

  @Test
  void trainingLowersTheLossAndLeavesTheEmaWeightsInTheModule() {
    List<Double> validation = new ArrayList<>();
    Trainer trainer = trainer("mlp.pt", 3, 200).addListener(ResumeTest.validations(validation));
    double before = trainer.validationLoss();
    TrainingResult result = trainer.train();
    assertEquals(200, result.steps());
    System.out.printf("TorchScript MLP: validation loss %.4f before, %s during training%n", before, validation);
    assertTrue(validation.get(validation.size() - 1) < 0.8 * before, "validation loss " + before + " -> " + validation);
    assertTrue(trainer.state().averagedWeightsInPlace());
    try (PointerScope scope = new PointerScope()) {
      Map<String, float[]> average = new java.util.LinkedHashMap<>();
      TrainingStates.weights(trainer).forEach((k, v) -> average.put(k, Torch.toFloats(v)));
      trainer.state().useTrainedWeights(); // the module's tensors take the online weights, the EMA its average
      Map<String, Tensor> online = TrainingStates.weights(trainer);
      for (Map.Entry<String, Tensor> e : trainer.ema().shadows().entrySet()) {
        assertArrayEquals(average.get(e.getKey()), Torch.toFloats(e.getValue()), 0f, e.getKey());
        assertTrue(!java.util.Arrays.equals(average.get(e.getKey()), Torch.toFloats(online.get(e.getKey()))), e.getKey());
      }
    }
  }
}
