package org.sbgm.distributed;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The ranks of one distributed run and the collectives they share. Every rank calls the same
 * collectives in the same order with tensors of the same shapes and dtypes (except
 * {@link #allgatherRows}, whose row counts may differ); a collective returns only when every rank has
 * taken part, or throws {@link DistributedException} naming the rank that died or stalled. The
 * single-process group ({@link #single()}) makes every collective the identity, so code written
 * against a group runs unchanged in one process.
 */
public interface Group extends AutoCloseable {
  /** The group of one process: rank 0 of world size 1, every collective the identity. */
  static Group single() {
    return SingleProcess.INSTANCE;
  }

  /** This process's rank, 0 ≤ rank &lt; {@link #worldSize()}. */
  int rank();

  /** The number of ranks. */
  int worldSize();

  /** Whether this is rank 0, the one that writes files. */
  default boolean isRoot() {
    return rank() == 0;
  }

  /** The backend's name: "single", "gloo" or "nccl". */
  String backend();

  /** Replaces each tensor, in place, by its elementwise sum over all ranks. */
  void allreduceSum(List<Tensor> tensors);

  /** The elementwise sums over all ranks of {@code values} (each rank gives the same length). */
  double[] allreduceSum(double[] values);

  /** The largest of every rank's {@code value}. */
  double allreduceMax(double value);

  /** Replaces each tensor, in place, by rank {@code root}'s. */
  void broadcast(List<Tensor> tensors, int root);

  /**
   * The rows (dimension 0) of every rank's {@code rows} concatenated in rank order, on every rank.
   * Ranks may give different row counts (zero included); the other dimensions and the dtype must agree.
   */
  Tensor allgatherRows(Tensor rows);

  /** Returns when every rank has reached it. */
  void barrier();

  /** Wall-clock seconds this process has spent inside collectives so far. */
  double collectiveSeconds();

  /** Releases the group; a group that saw a failed peer cannot be used again. */
  @Override
  void close();
}
