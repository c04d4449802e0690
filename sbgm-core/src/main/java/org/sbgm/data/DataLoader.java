package org.sbgm.data;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * An endless stream of minibatches with an exact, resumable position.
 *
 * <p>Epoch e visits the dataset in the order π_e, a permutation drawn by {@code torch.randperm} from
 * a CPU generator seeded with {@link Seeds#derive(long, Seeds.Stream, long) Seeds.derive(seed, DATA, e)};
 * with shuffling off π_e is the identity. Batch j of epoch e holds π_e[jB .. jB+B-1]. Because π_e depends only on
 * (seed, e), the {@link DataPosition} (e, offset) determines every later batch: a trainer saves
 * {@link #position()} with its checkpoint and calls {@link #seek} on resume to replay the same
 * stream. With {@code dropLast} an epoch ends when fewer than B samples remain (every batch has B
 * rows); without it the last batch of an epoch may be smaller.
 */
public final class DataLoader {
  private final Dataset data;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final boolean dropLast;
  private long epoch;
  private long offset;
  private long[] permutation;
  private long permutationEpoch = -1;

  /**
   * @param data the dataset
   * @param batchSize B, at least 1 (and at most the dataset size when {@code dropLast})
   * @param seed the seed of the per-epoch permutations
   * @param shuffle whether to permute each epoch (else the identity order)
   * @param dropLast whether to skip an epoch's final partial batch
   */
  public DataLoader(Dataset data, int batchSize, long seed, boolean shuffle, boolean dropLast) {
    if (batchSize < 1) {
      throw new InvalidInputException("batch size must be at least 1, got " + batchSize);
    }
    if (data.size() < 1 || (dropLast && batchSize > data.size())) {
      throw new InvalidInputException("batch size " + batchSize + " exceeds the dataset's " + data.size()
          + " samples; expected at most " + data.size() + " (or dropLast = false)");
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
  }

  /** A shuffling loader that drops each epoch's final partial batch (the usual choice for training). */
  public static DataLoader shuffled(Dataset data, int batchSize, long seed) {
    return new DataLoader(data, batchSize, seed, true, true);
  }

  /** The position of the next batch. */
  public DataPosition position() {
    return new DataPosition(epoch, offset);
  }

  /** Moves to {@code p}, e.g. one saved with a checkpoint; the next batch is the one drawn there. */
  public void seek(DataPosition p) {
    if (p.offset() >= data.size()) {
      throw new InvalidInputException("data position offset " + p.offset() + " is outside the dataset's "
          + data.size() + " samples");
    }
    epoch = p.epoch();
    offset = p.offset();
    normalise();
  }

  /** The number of batches per epoch. */
  public long batchesPerEpoch() {
    long n = data.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The dataset it visits. */
  public Dataset dataset() {
    return data;
  }

  /** The batch size B. */
  public int batchSize() {
    return batchSize;
  }

  /** The next batch; the stream never ends (epochs roll over). */
  public Batch next() {
    DataPosition start = position();
    long[] perm = order(epoch);
    int b = (int) Math.min(batchSize, data.size() - offset);
    long[] idx = new long[b];
    System.arraycopy(perm, (int) offset, idx, 0, b);
    offset += b;
    normalise();
    return new Batch(data.batch(idx), data.condition(idx), idx, start);
  }

  /** The visiting order π_e of epoch {@code e} (a copy). */
  public long[] permutation(long e) {
    return order(e).clone();
  }

  private long[] order(long e) {
    if (e != permutationEpoch) {
      permutation = draw(e);
      permutationEpoch = e;
    }
    return permutation;
  }

  private long[] draw(long e) {
    long n = data.size();
    if (!shuffle) {
      long[] id = new long[Math.toIntExact(n)];
      for (int i = 0; i < id.length; i++) {
        id[i] = i;
      }
      return id;
    }
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      Generator g = torch.make_generator_cpu(Seeds.derive(seed, Seeds.Stream.DATA, e));
      Tensor p = Torch.randperm(n, g);
      return Indices.toLongs(p);
    }
  }

  private void normalise() {
    long remaining = data.size() - offset;
    if (remaining <= 0 || (dropLast && remaining < batchSize)) {
      epoch++;
      offset = 0;
    }
  }
}
