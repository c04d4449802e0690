package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.TensorDataset;
import org.sbgm.data.Toy;
import org.sbgm.nn.Activation;
import org.sbgm.nn.ResidualMlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;

/**
 * The measurement of the issue: a residual MLP with dropout 0.2 on two moons, 200 steps straight
 * against 100 steps, a checkpoint and a resumed trainer to 200. Before the network's dropout generator
 * was part of the training state the weights differed; now the largest difference is exactly 0.
 */
class DropoutResumeTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  static Trainer trainer(Tensor moons, long init) {
    ResidualMlpConfig net = new ResidualMlpConfig(2, 64, 2, Activation.SILU, 0.2, TimeEmbeddingConfig.fourier(8, 4.0), 0);
    TrainerConfig config = TrainerConfig.defaults(200).withBatchSize(128).withLearningRate(1e-3, 20).withSeed(5);
    return new Trainer(new ScoreModel(net.create(init), new TestVpSde()), config, new TensorDataset(moons), null);
  }

  @Test
  void residualMlpWithDropoutOnMoonsResumesBitExactly() throws Exception {
    Tensor moons = Torch.retain(Toy.twoMoons(1000, Torch.generator(7)));
    Trainer straight = trainer(moons, 1);
    straight.trainUntil(200);
    Trainer first = trainer(moons, 1);
    first.trainUntil(100);
    Path file = dir.resolve("moons.pt");
    first.saveCheckpoint(file);
    Trainer resumed = trainer(moons, 1);
    resumed.resume(file);
    resumed.trainUntil(200);
    double largest = 0;
    try (PointerScope scope = new PointerScope()) {
      var a = TrainingStates.weights(straight);
      var b = TrainingStates.weights(resumed);
      for (String k : a.keySet()) {
        largest = Math.max(largest, a.get(k).sub(b.get(k)).abs().max().item_double());
      }
    }
    System.out.println("dropout 0.2, moons, 200 straight vs 100 + resume: max |w_straight - w_resumed| = " + largest);
    assertEquals(0.0, largest);
    TrainingStates.assertIdentical(straight, resumed);
  }
}
