package org.sbgm.distributed;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The chunk plan of sharded inference, and its loop and gather. The {@code n} rows of a run (samples,
 * data points) are cut into c = ⌈n / batch⌉ chunks of {@code batch} rows, the last one shorter; chunk i
 * holds rows [i·batch, min(n, (i + 1)·batch)). A chunk is the unit of work: it is computed the same way
 * whatever the number of ranks (its own generator, seeded from the run's seed and i; its own solve), so
 * a run's result does not depend on how its chunks are spread. Rank r of N takes the contiguous run of
 * chunks [⌊c·r/N⌋, ⌊c·(r + 1)/N⌋) (none when N &gt; c for some ranks), so the ranks' rows concatenated in
 * rank order ({@link Group#allgatherRows}) are the rows in their global order.
 *
 * <p>{@link #run} is the one loop over a rank's chunks used by sampling, likelihoods and posterior
 * sampling; {@link #sum} combines per-rank counters (evaluations, steps) by their sum over ranks.
 *
 * @param n the number of rows, at least 1
 * @param batch rows per chunk, at least 1
 * @param rank this rank
 * @param worldSize the number of ranks
 */
public record Shards(long n, int batch, int rank, int worldSize) {
  /** Checks the plan. */
  public Shards {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank " + rank + " of world size " + worldSize + " is not a rank");
    }
    if ((n + batch - 1) / batch > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(n + " rows in batches of " + batch + " make more than 2^31 - 1 chunks");
    }
  }

  /** The plan of {@code n} rows in chunks of {@code batch} for this process's rank of {@code group}. */
  public static Shards of(long n, int batch, Group group) {
    return new Shards(n, batch, group.rank(), group.worldSize());
  }

  /** c, the number of chunks of the whole run. */
  public int chunks() {
    return Math.toIntExact((n + batch - 1) / batch);
  }

  /** The first row of chunk {@code chunk}. */
  public long start(int chunk) {
    return (long) chunk * batch;
  }

  /** The number of rows of chunk {@code chunk}: {@code batch}, or fewer for the last. */
  public long rows(int chunk) {
    return Math.min(batch, n - start(chunk));
  }

  /** The first chunk of rank {@code r}: ⌊c·r/N⌋. */
  public int firstChunk(int r) {
    return Math.toIntExact((long) chunks() * r / worldSize);
  }

  /** One past the last chunk of rank {@code r}: ⌊c·(r + 1)/N⌋ (equal to {@link #firstChunk} when it has none). */
  public int endChunk(int r) {
    return firstChunk(r + 1);
  }

  /** This rank's first chunk. */
  public int firstChunk() {
    return firstChunk(rank);
  }

  /** One past this rank's last chunk. */
  public int endChunk() {
    return endChunk(rank);
  }

  /** The number of chunks this rank computes (0 when there are more ranks than chunks). */
  public int localChunks() {
    return endChunk() - firstChunk();
  }

  /** The first row of this rank's chunks. */
  public long firstRow() {
    return Math.min(n, start(firstChunk()));
  }

  /** The number of rows this rank computes. */
  public long localRows() {
    return Math.min(n, start(endChunk())) - firstRow();
  }

  /** One chunk's computation. */
  @FunctionalInterface
  public interface Chunk {
    /**
     * The result rows of chunk {@code chunk} (rows [start, start + rows) of the run), {@code local} its index
     * among this rank's chunks: a tensor of {@code rows} rows of the row shape and dtype given to {@link #run}.
     */
    Tensor compute(int chunk, int local, long start, long rows);
  }

  /**
   * Computes this rank's chunks in order, each inside its own pointer scope, and gathers every rank's rows
   * in rank order: the result of the whole run, on every rank, owned by the caller's pointer scope.
   * {@code rowShape} (one row's shape) and {@code dtype} make the empty part of a rank without chunks;
   * every chunk's rows must have them too. Every rank must call this with the same plan (but its own rank).
   *
   * @param after called after each chunk with its local index (e.g. progress), or null
   */
  public Tensor run(Group group, long[] rowShape, DType dtype, Chunk chunk, java.util.function.IntConsumer after) {
    if (group.rank() != rank || group.worldSize() != worldSize) {
      throw new IllegalArgumentException("this plan is for rank " + rank + " of " + worldSize + ", but the group is rank "
          + group.rank() + " of " + group.worldSize());
    }
    List<Tensor> parts = new ArrayList<>();
    Tensor all;
    try {
      for (int c = firstChunk(); c < endChunk(); c++) {
        try (PointerScope scope = new PointerScope()) {
          parts.add(Torch.retain(chunk.compute(c, c - firstChunk(), start(c), rows(c))));
        }
        if (after != null) {
          after.accept(c - firstChunk());
        }
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor local;
        if (parts.isEmpty()) {
          long[] shape = new long[rowShape.length + 1];
          System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
          local = torch.zeros(shape, Torch.options(dtype));
        } else {
          local = parts.size() == 1 ? parts.get(0) : torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
        }
        all = Torch.retain(group.allgatherRows(local));
      }
    } finally {
      parts.forEach(Tensor::releaseReference);
    }
    if (all.size(0) != n) {
      all.releaseReference();
      throw new DistributedException("the ranks gathered " + all.size(0) + " rows, but the run has " + n
          + "; the ranks disagree about the run");
    }
    return Torch.handToScope(all);
  }

  /** Each counter summed over all ranks (exact below 2^53). */
  public static long[] sum(Group group, long... counters) {
    double[] local = new double[counters.length];
    for (int i = 0; i < counters.length; i++) {
      local[i] = counters[i];
    }
    double[] total = group.allreduceSum(local);
    long[] out = new long[total.length];
    for (int i = 0; i < total.length; i++) {
      out[i] = Math.round(total[i]);
    }
    return out;
  }
}
