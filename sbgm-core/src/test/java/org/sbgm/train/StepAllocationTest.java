package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.data.TensorDataset;
import org.sbgm.data.Toy;
import org.sbgm.nn.MlpConfig;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.torch.Torch;

/**
 * An allocation profile of the training step on the reference MLP at batch 256 (the bench's
 * mlp-train-256): the bytes the step allocates on the Java heap, read from the thread's allocation
 * counter. The wrappers of the ~100 native objects a step creates (tensors, scalars, options) are the bulk
 * of it; a regression that allocates per element or per parameter on the Java side would fail the bound.
 */
class StepAllocationTest {
  @Test
  void aTrainingStepAllocatesLittleOnTheJavaHeap() {
    Torch.init();
    Tensor x = Toy.eightGaussians(256, Torch.generator(1));
    ScoreModel model = new ScoreModel(MlpConfig.reference().create(0), Sdes.vp());
    TrainerConfig config = new TrainerConfig(100, 256, 1e-3, 0.01, 0, 0.0, 0.0, 0, 0, 0L, 1e-5,
        Weighting.SIGMA_SQUARED, false);
    Trainer trainer = new Trainer(model, config, new TensorDataset(x), null);
    int threadsBefore = Torch.threads();
    Torch.setThreads(1); // two spinning OpenMP threads on a busy machine made a 3 ms step take 0.5 s
    try {
      measure(trainer);
    } finally {
      Torch.setThreads(threadsBefore);
    }
  }

  private static void measure(Trainer trainer) {
    trainer.trainUntil(20);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int steps = 50;
    long before = threads.getThreadAllocatedBytes(id);
    trainer.trainUntil(20 + steps);
    double perStep = (threads.getThreadAllocatedBytes(id) - before) / (double) steps;
    System.out.printf("training step of the reference MLP at batch 256: %.0f bytes of Java heap per step%n", perStep);
    assertTrue(perStep < 48 * 1024, perStep + " bytes per step");
  }
}
