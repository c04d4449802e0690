package org.sbgm.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Dataset;
import org.sbgm.distributed.DistributedException;
import org.sbgm.distributed.Group;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * Data-parallel training over a {@link Group}: what each rank does beside the single-process loop.
 *
 * <p>Every rank draws the same global batch of B rows from the same loader, times and noise (exactly
 * what one process draws at batch B) and takes its contiguous block of rows: rank r of N gets
 * ⌊B/N⌋ rows, plus one when r &lt; B mod N, starting after the rows of the ranks before it. Its loss is
 * the sum over its rows divided by B, so the sum over ranks of the gradients, which one bucketed
 * allreduce per step computes (the loss rides along), is the single-process gradient up to summation
 * order. Clipping, AdamW and the EMA then run on identical numbers on every rank.
 *
 * <p>Generators that are not part of the global draw (a network's dropout masks and libtorch's default
 * generator) run a stream per rank: rank 0 keeps the single-process seed s, rank r &gt; 0 uses
 * {@code Seeds.mix(s, r)}. A checkpoint saves every rank's states ({@code rng/*} for rank 0,
 * {@code rng.rank<r>/*} for the others) and {@code world.size}; resumed with the same world size every
 * rank continues its stream, with another one every per-rank stream restarts from its seed.
 */
final class DataParallel {
  static final String WORLD_SIZE = "world.size";
  private final Group group;
  private final TrainingState state;
  private final Map<String, Long> initialSeeds = new LinkedHashMap<>();

  DataParallel(Group group, TrainingState state, TrainerConfig config, Dataset training) {
    this.group = group;
    this.state = state;
    if (config.batchSize() < group.worldSize()) {
      throw new InvalidInputException("batchSize " + config.batchSize() + " is smaller than the " + group.worldSize()
          + " ranks; expected at least one row per rank.");
    }
    perRank().forEach((name, g) -> initialSeeds.put(name, g.current_seed()));
    if (group.worldSize() > 1) {
      restartPerRankStreams();
      checkAgreement(config, training);
      broadcastWeights();
    }
  }

  Group group() {
    return group;
  }

  /** The first row and the number of rows of this rank's block of a batch of {@code b} rows. */
  static long[] block(long b, int rank, int worldSize) {
    long base = b / worldSize;
    long extra = b % worldSize;
    long count = base + (rank < extra ? 1 : 0);
    long from = rank * base + Math.min(rank, extra);
    return new long[] {from, count};
  }

  long[] block(long b) {
    return block(b, group.rank(), group.worldSize());
  }

  /** The generators with one stream per rank (not restored from rank 0's), by checkpoint name. */
  private Map<String, Generator> perRank() {
    Map<String, Generator> g = new LinkedHashMap<>(state.generators());
    g.remove("time");
    g.remove("noise");
    return g;
  }

  /** Seeds every per-rank generator for this rank: the single-process seed mixed with the rank (rank 0 keeps it). */
  void restartPerRankStreams() {
    int r = group.rank();
    perRank().forEach((name, g) -> {
      long s = initialSeeds.get(name);
      g.set_current_seed(r == 0 ? s : Seeds.mix(s, r));
    });
  }

  /**
   * Every rank's states of the per-rank generators, gathered to every rank, as checkpoint tensors
   * ({@code rng.rank<r>/<name>} for r ≥ 1; rank 0's are the ordinary {@code rng/<name>}). A collective.
   */
  Map<String, Tensor> gatherGeneratorStates() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (group.worldSize() == 1) {
      return out;
    }
    for (Map.Entry<String, Generator> e : perRank().entrySet()) {
      Tensor s = e.getValue().get_state();
      Tensor all = group.allgatherRows(s.reshape(1, -1));
      for (int r = 1; r < group.worldSize(); r++) {
        out.put("rng.rank" + r + "/" + e.getKey(), all.select(0, r).clone());
      }
    }
    return out;
  }

  /** After a checkpoint was restored (rank 0's streams everywhere): each rank takes its own, or restarts them. */
  void restored(Checkpoint c) {
    int saved = c.metadata().containsKey(WORLD_SIZE) ? Integer.parseInt(c.metadata().get(WORLD_SIZE)) : 1;
    if (saved != group.worldSize()) {
      restartPerRankStreams();
      return;
    }
    if (group.rank() == 0) {
      return;
    }
    Map<String, Tensor> mine = c.tensors("rng.rank" + group.rank());
    Map<String, Generator> gens = perRank();
    if (!mine.keySet().equals(gens.keySet())) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds the generators " + mine.keySet() + " for rank "
          + group.rank() + ", but this run draws from " + gens.keySet() + "; resume with the same network configuration.");
    }
    gens.forEach((k, g) -> g.set_state(mine.get(k)));
  }

  /**
   * Checks, before every checkpoint, that the ranks still hold the same weights: a float64 fingerprint of
   * every parameter, its largest and smallest value over the ranks compared exactly. A difference means
   * the ranks stopped computing the same update (it never happens when they run the same build on the
   * same data); the checkpoint is then not written. A collective.
   */
  void checkInSync(long step) {
    if (group.worldSize() == 1) {
      return;
    }
    double f = weightFingerprint();
    double hi = group.allreduceMax(f);
    double lo = -group.allreduceMax(-f);
    if (Double.compare(hi, lo) != 0) {
      throw new DistributedException("The ranks' weights differ after step " + step + " (fingerprints " + lo + " to "
          + hi + "); no checkpoint was written. Every rank must run the same build on the same data.");
    }
  }

  /** Checks that every rank runs the same configuration, data and network; a mismatch is one sentence. */
  private void checkAgreement(TrainerConfig config, Dataset training) {
    double[] mine = {new TreeMap<>(config.toMap()).toString().hashCode(), dataFingerprint(training), weightFingerprint()};
    String[] what = {"training configuration", "training data", "network (its initial weights)"};
    int n = group.worldSize();
    double[] all = new double[mine.length * n];
    System.arraycopy(mine, 0, all, mine.length * group.rank(), mine.length);
    all = group.allreduceSum(all);
    for (int r = 1; r < n; r++) {
      for (int k = 0; k < mine.length; k++) {
        double a = all[k];
        double b = all[mine.length * r + k];
        if (Double.compare(a, b) != 0) {
          throw new DistributedException("Rank " + r + "'s " + what[k] + " differs from rank 0's; every rank must run"
              + " the same configuration on the same data.");
        }
      }
    }
  }

  /** The size and a weighted sum of up to 64 evenly spaced samples, in float64. */
  private static double dataFingerprint(Dataset data) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      long n = data.size();
      int k = (int) Math.min(64, n);
      long[] rows = new long[k];
      for (int i = 0; i < k; i++) {
        rows[i] = i * n / k;
      }
      Tensor x = data.batch(rows).to(torch.ScalarType.Double).reshape(k, -1);
      Tensor w = torch.arange(Torch.scalar(x.size(1))).to(torch.ScalarType.Double).add(Torch.scalar(1)).sqrt();
      return n + x.mul(w).sum().item_double();
    }
  }

  private double weightFingerprint() {
    double f = 0;
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TensorVector ps = state.parameters();
      for (long i = 0; i < ps.size(); i++) {
        Tensor p = ps.get(i).to(torch.ScalarType.Double);
        f += (i + 1) * (p.numel() + p.sum().item_double() + 0.5 * p.square().sum().item_double());
      }
    }
    return f;
  }

  /** Rank 0's weights, buffers and EMA shadows on every rank. */
  private void broadcastWeights() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      List<Tensor> ts = new ArrayList<>();
      CheckpointSchema.named(state.module().named_parameters(true)).values().forEach(ts::add);
      CheckpointSchema.named(state.module().named_buffers(true)).values().forEach(ts::add);
      ts.addAll(state.ema().shadows().values());
      group.broadcast(ts, 0);
    }
  }

  /** Each parameter's gradient (zeros where backward left none, so every rank reduces the same list). */
  List<Tensor> gradients() {
    TensorVector ps = state.parameters();
    List<Tensor> grads = new ArrayList<>();
    for (long i = 0; i < ps.size(); i++) {
      Tensor p = ps.get(i);
      Tensor g = p.grad();
      if (g == null || !g.defined()) {
        p.mutable_grad().put(torch.zeros_like(p));
        g = p.grad();
      }
      grads.add(g);
    }
    return grads;
  }
}
