package org.sbgm.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * An endless, exactly resumable stream of shuffled sample indices: epoch e visits the N samples in the
 * order of {@code randperm(N)} drawn from a fresh generator seeded by (seed, e); a batch that runs past
 * the end of an epoch continues into the next. The state is just an {@link EpochPosition}.
 */
public final class ShuffledBatches {
  private final long size;
  private final long seed;
  private long epoch;
  private long offset;
  private Tensor permutation;
  private long permutationEpoch = -1;

  /** Batches over {@code size} samples, shuffled with {@code seed}. */
  public ShuffledBatches(long size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("data set size must be at least 1, got " + size);
    }
    this.size = size;
    this.seed = seed;
  }

  /** The position of the next sample. */
  public EpochPosition position() {
    return new EpochPosition(epoch, offset);
  }

  /** Moves to {@code p}; its offset must lie within an epoch. */
  public void seek(EpochPosition p) {
    if (p.offset() >= size) {
      throw new IllegalArgumentException(
          "offset " + p.offset() + " lies beyond the data set of " + size + " samples");
    }
    epoch = p.epoch();
    offset = p.offset();
  }

  /** The next {@code batch} indices (int64, CPU) and the position advanced past them. */
  public Tensor next(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
    }
    TensorVector parts = new TensorVector();
    long need = batch;
    while (need > 0) {
      Tensor perm = permutation(epoch);
      long take = Math.min(need, size - offset);
      parts.push_back(perm.narrow(0, offset, take));
      offset += take;
      need -= take;
      if (offset == size) {
        epoch++;
        offset = 0;
      }
    }
    return parts.size() == 1 ? parts.get(0) : torch.cat(parts, 0);
  }

  /** The permutation of epoch {@code e} (int64, CPU). */
  public static Tensor permutation(long size, long seed, long e) {
    Generator g = torch.make_generator_cpu(Seeds.derive(seed, Seeds.Stream.DATA, e));
    return Torch.randperm(size, g);
  }

  private Tensor permutation(long e) {
    if (permutationEpoch != e) {
      Tensor p;
      try (PointerScope scope = new PointerScope()) {
        p = permutation(size, seed, e);
        p.retainReference();
      }
      if (permutation != null) {
        permutation.releaseReference();
      }
      permutation = p;
      permutationEpoch = e;
    }
    return permutation;
  }
}
