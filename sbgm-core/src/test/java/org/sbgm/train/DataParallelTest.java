package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.data.TensorDataset;
import org.sbgm.distributed.C10dGroup;
import org.sbgm.distributed.C10dGroupTest;
import org.sbgm.distributed.DistributedException;
import org.sbgm.distributed.Group;
import org.sbgm.distributed.Rendezvous;
import org.sbgm.nn.Activation;
import org.sbgm.nn.ResidualMlpConfig;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;

/**
 * Data-parallel training on two ranks (a thread and a C10dGroup each, loopback Gloo) against one process.
 * The two-rank tests are opt-in ({@code -Dsbgm.inJvmRanks=true}): with two ranks as threads of one JVM
 * the native heap was now and then found corrupted (a crash in this or a later test), which one rank per
 * process (every real run, and DistributedCliTest, which covers the same properties through
 * {@code sbgm train --nproc 2}) never showed; the cause is not known.
 */
class DataParallelTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void init() {
    Torch.init();
  }

  interface RankBody {
    double[] run(Group g, ScoreModel model) throws Exception;
  }

  /** Builds both ranks' models here (the global seed is not thread safe), then runs {@code body} on each rank. */
  static List<double[]> onTwoRanks(long[] inits, RankBody body) throws Exception {
    return onTwoRanks(new ScoreModel[] {Fixtures.model(inits[0], 32), Fixtures.model(inits[1], 32)}, body);
  }

  static List<double[]> onTwoRanks(ScoreModel[] models, RankBody body) throws Exception {
    int port = C10dGroupTest.freePort();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<double[]>> fs = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int rank = r;
        fs.add(pool.submit(() -> {
          try (Group g = C10dGroup.connect(Rendezvous.local(rank, 2, port), Duration.ofSeconds(20), false)) {
            return body.run(g, models[rank]);
          }
        }));
      }
      List<double[]> out = new ArrayList<>();
      for (Future<double[]> f : fs) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The trained weights followed by the state of the network's dropout generator. */
  static double[] weightsThenDropoutState(Trainer t, ScoreModel model) {
    double[] w = flatWeights(t);
    double[] rng = Torch.toDoubles(model.network().generators().get("dropout").get_state());
    double[] out = java.util.Arrays.copyOf(w, w.length + rng.length);
    System.arraycopy(rng, 0, out, w.length, rng.length);
    return out;
  }

  static double[] flatWeights(Trainer t) {
    List<Double> all = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : TrainingStates.weights(t).entrySet()) {
      for (double v : Torch.toDoubles(e.getValue())) {
        all.add(v);
      }
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static TrainerConfig config(int steps) {
    return TrainerConfig.defaults(steps).withBatchSize(63).withLearningRate(3e-3, 5).withEmaRate(0.9)
        .withSchedule(0, 0).withSeed(11);
  }

  @Test
  void blocksCoverTheBatchRemainderFirst() {
    assertArrayEquals(new long[] {0, 3}, DataParallel.block(7, 0, 3));
    assertArrayEquals(new long[] {3, 2}, DataParallel.block(7, 1, 3));
    assertArrayEquals(new long[] {5, 2}, DataParallel.block(7, 2, 3));
    assertArrayEquals(new long[] {4, 4}, DataParallel.block(8, 1, 2));
  }

  @Test
  @EnabledIfSystemProperty(named = "sbgm.inJvmRanks", matches = "true")
  void twoRanksFollowOneProcessOnTheSameGlobalBatches() throws Exception {
    Tensor data = Fixtures.mixture(512, 3);
    int steps = 50;
    Trainer single = new Trainer(Fixtures.model(5, 32), config(steps), new TensorDataset(data), null);
    single.trainUntil(steps);
    double[] expected = flatWeights(single);
    List<double[]> ranks = onTwoRanks(new long[] {5, 5}, (g, model) -> {
      Trainer t = new Trainer(model, config(steps), new TensorDataset(data), null).distributed(g);
      t.trainUntil(steps);
      return flatWeights(t);
    });
    assertArrayEquals(ranks.get(0), ranks.get(1), 0.0, "the two ranks' weights must be bit-identical");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - ranks.get(0)[i]));
    }
    assertTrue(worst < 1e-5, "largest weight difference to one process: " + worst);
  }

  @Test
  @EnabledIfSystemProperty(named = "sbgm.inJvmRanks", matches = "true")
  void checkpointsRecordTheWorldSizeAndResumeWithOneRank() throws Exception {
    Tensor data = Fixtures.mixture(512, 3);
    Path ck = dir.resolve("checkpoint.pt");
    List<double[]> ranks = onTwoRanks(new long[] {5, 5}, (g, model) -> {
      Trainer t = new Trainer(model, config(30), new TensorDataset(data), null).distributed(g);
      t.trainUntil(20);
      t.saveCheckpoint(ck); // every rank takes part, rank 0 writes
      t.trainUntil(30);
      return flatWeights(t);
    });
    try (Checkpoint c = Checkpoint.read(ck)) {
      assertEquals("2", c.get("world.size"));
      assertTrue(c.tensors("rng.rank1").containsKey("default"), c.tensors("rng.rank1").keySet().toString());
    }
    Trainer resumed = new Trainer(Fixtures.model(9, 32), config(30), new TensorDataset(data), null)
        .distributed(Group.single());
    resumed.resume(ck);
    assertEquals(20, resumed.step());
    resumed.trainUntil(30);
    double[] w = flatWeights(resumed);
    double worst = 0;
    for (int i = 0; i < w.length; i++) {
      worst = Math.max(worst, Math.abs(w[i] - ranks.get(0)[i]));
    }
    assertTrue(worst < 1e-5, "resumed with one rank: largest difference " + worst);
  }

  static ScoreModel dropoutModel() {
    ResidualMlpConfig net = new ResidualMlpConfig(2, 32, 2, Activation.SILU, 0.2, TimeEmbeddingConfig.fourier(8, 4.0), 0);
    return new ScoreModel(net.create(1), new TestVpSde());
  }

  @Test
  @EnabledIfSystemProperty(named = "sbgm.inJvmRanks", matches = "true")
  void dropoutStreamsArePerRankAndResumeBitExactly() throws Exception {
    Tensor data = Fixtures.mixture(512, 3);
    Path ck = dir.resolve("dropout.pt");
    // uninterrupted to 40 steps, with a checkpoint at 20; the weights and both dropout states at the end
    List<double[]> straight = onTwoRanks(new ScoreModel[] {dropoutModel(), dropoutModel()}, (g, model) -> {
      Trainer t = new Trainer(model, config(40), new TensorDataset(data), null).distributed(g);
      t.trainUntil(20);
      t.saveCheckpoint(ck);
      t.trainUntil(40);
      return weightsThenDropoutState(t, model);
    });
    int n = straight.get(0).length;
    int params = flatWeights(new Trainer(dropoutModel(), config(40), new TensorDataset(data), null)).length;
    assertArrayEquals(java.util.Arrays.copyOf(straight.get(0), params), java.util.Arrays.copyOf(straight.get(1), params), 0.0);
    assertTrue(!java.util.Arrays.equals(java.util.Arrays.copyOfRange(straight.get(0), params, n),
        java.util.Arrays.copyOfRange(straight.get(1), params, n)), "the two ranks' dropout streams must differ");
    try (Checkpoint c = Checkpoint.read(ck)) {
      assertTrue(c.tensors("rng.rank1").containsKey("network/dropout"), c.tensors("rng.rank1").keySet().toString());
    }
    List<double[]> resumed = onTwoRanks(new ScoreModel[] {dropoutModel(), dropoutModel()}, (g, model) -> {
      Trainer t = new Trainer(model, config(40), new TensorDataset(data), null).distributed(g);
      t.resume(ck);
      t.trainUntil(40);
      return weightsThenDropoutState(t, model);
    });
    assertArrayEquals(straight.get(0), resumed.get(0), 0.0, "rank 0 after resume");
    assertArrayEquals(straight.get(1), resumed.get(1), 0.0, "rank 1 after resume");
  }

  @Test
  @EnabledIfSystemProperty(named = "sbgm.inJvmRanks", matches = "true")
  void differentInitialWeightsAreNamed() throws Exception {
    Tensor data = Fixtures.mixture(512, 3);
    ExecutionException e = assertThrows(ExecutionException.class, () -> onTwoRanks(new long[] {5, 6}, (g, model) -> {
      new Trainer(model, config(10), new TensorDataset(data), null).distributed(g);
      return new double[0];
    }));
    assertEquals("Rank 1's network (its initial weights) differs from rank 0's; every rank must run the same"
        + " configuration on the same data.", e.getCause().getMessage());
  }

  @Test
  @EnabledIfSystemProperty(named = "sbgm.inJvmRanks", matches = "true")
  void mismatchedConfigurationsAreOneSentence() throws Exception {
    Tensor data = Fixtures.mixture(512, 3);
    ExecutionException e = assertThrows(ExecutionException.class, () -> onTwoRanks(new long[] {5, 5}, (g, model) -> {
      TrainerConfig c = g.rank() == 0 ? config(10) : config(10).withSeed(12);
      new Trainer(model, c, new TensorDataset(data), null).distributed(g);
      return new double[0];
    }));
    assertTrue(e.getCause() instanceof DistributedException, String.valueOf(e.getCause()));
    assertEquals("Rank 1's training configuration differs from rank 0's; every rank must run the same configuration"
        + " on the same data.", e.getCause().getMessage());
  }
}
