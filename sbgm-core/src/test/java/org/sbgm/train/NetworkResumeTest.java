package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sbgm.data.DataPosition;
import org.sbgm.data.TensorDataset;
import org.sbgm.nn.Activation;
import org.sbgm.nn.DiTConfig;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.MlpMixerConfig;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.ResidualMlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.nn.UNetConfig;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Exact resume for every network type, each conditioned on a parameter vector π [N, 2] and an image y
 * (a flattened [N, 4] for the MLPs), with condition dropout above 0 and dropout wherever the type has it: 10 steps straight equal 5 steps,
 * a checkpoint, a fresh trainer (built from another initialisation seed, so also another dropout
 * generator) resumed from it and 5 more steps, bit for bit in weights, EMA weights, AdamW state and
 * every generator. A run with another seed must differ, and so must a resumed run whose network
 * generator is disturbed after the restore (the network's own generator is part of the state).
 */
class NetworkResumeTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  enum Net {
    MLP(new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 1.0), 2, 4, 0.3), true),
    RESIDUAL_MLP(new ResidualMlpConfig(2, 16, 2, Activation.SILU, 0.2, TimeEmbeddingConfig.fourier(4, 1.0), 2, 4, 0.3),
        true),
    UNET(new UNetConfig(1, 8, List.of(1, 2), 1, List.of(), true, 1, 0.2, 4, TimeEmbeddingConfig.sinusoidal(8), 2, 1,
        0.3), true),
    DIT(DiTConfig.of(1, 8, 8, 4, 16, 1, 2).withConditions(2, 1).withConditionDropout(0.3), true),
    MLP_MIXER(new MlpMixerConfig(1, 8, 8, 4, 16, 8, 16, 1, TimeEmbeddingConfig.sinusoidal(8), 2, 1, 0.3), true),
    MLP_DETERMINISTIC(new MlpConfig(2, 16, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 1.0), 2), false);

    final NetworkConfig config;
    final boolean stochastic;

    Net(NetworkConfig config, boolean stochastic) {
      this.config = config;
      this.stochastic = stochastic;
    }

    boolean images() {
      return config instanceof UNetConfig || config instanceof DiTConfig || config instanceof MlpMixerConfig;
    }
  }

  static TrainerConfig config(long seed) {
    // 20 samples, batch 8: two batches per epoch (4 samples skipped); the split at step 5 falls inside epoch 2.
    return TrainerConfig.defaults(10).withBatchSize(8).withLearningRate(1e-2, 3).withEmaRate(0.8)
        .withSchedule(3, 0).withSeed(seed);
  }

  static TensorDataset data(Net net, int n, long seed) {
    Generator g = Torch.generator(seed);
    long[] shape = net.images() ? new long[] {n, 1, 8, 8} : new long[] {n, 2};
    Tensor x = Torch.randn(shape, g, Torch.options(DType.FLOAT32));
    Tensor p = Torch.randn(new long[] {n, 2}, g, Torch.options(DType.FLOAT32));
    if (net == Net.MLP_DETERMINISTIC) {
      return new TensorDataset(x, p, null);
    }
    Tensor y = Torch.randn(net.images() ? new long[] {n, 1, 4, 4} : new long[] {n, 4}, g, Torch.options(DType.FLOAT32));
    return new TensorDataset(x, p, y);
  }

  static Trainer trainer(Net net, long init, long seed) {
    ScoreModel model = new ScoreModel(net.config.create(init), new TestVpSde());
    return new Trainer(model, config(seed), data(net, 20, 1), data(net, 10, 2));
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void resumeIsBitExact(Net net) throws Exception {
    List<Double> straightValidation = new ArrayList<>();
    Trainer straight = trainer(net, 1, 42).addListener(ResumeTest.validations(straightValidation));
    straight.trainUntil(10);
    assertEquals(net.stochastic ? Set.of("time", "noise", "default", "network/dropout") : Set.of("time", "noise", "default"),
        straight.state().generators().keySet());

    Trainer first = trainer(net, 1, 42);
    first.trainUntil(5);
    assertEquals(new DataPosition(2, 8), first.position());
    Path file = dir.resolve(net + ".pt");
    first.saveCheckpoint(file);

    List<Double> resumedValidation = new ArrayList<>();
    Trainer resumed = trainer(net, 99, 42).addListener(ResumeTest.validations(resumedValidation));
    resumed.resume(file);
    resumed.trainUntil(10);

    assertEquals(new DataPosition(5, 0), straight.position());
    TrainingStates.assertIdentical(straight, resumed);
    assertEquals(straightValidation.subList(1, 3), resumedValidation, "the validations at steps 6 and 9");

    Trainer other = trainer(net, 1, 43);
    other.trainUntil(10);
    TrainingStates.assertWeightsDiffer(straight, other, "another seed gives other weights");
    TrainingStates.assertWeightsDiffer(resumed, other, "another seed gives other weights");

    if (net.stochastic) {
      Trainer disturbed = trainer(net, 99, 42);
      disturbed.resume(file);
      Generator g = disturbed.model().network().generators().get("dropout");
      g.set_state(Torch.generator(12345).get_state());
      disturbed.trainUntil(10);
      TrainingStates.assertWeightsDiffer(straight, disturbed,
          "the network's dropout generator changes the result, so restoring it is what makes resume exact");
    }
    assertTrue(straightValidation.stream().allMatch(Double::isFinite));
    assertFalse(straightValidation.isEmpty());
  }
}
