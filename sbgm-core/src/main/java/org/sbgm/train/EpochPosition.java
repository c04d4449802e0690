package org.sbgm.train;

/**
 * Where a shuffled pass over the training data stands: the epoch and the offset of the next sample in
 * that epoch's permutation. With the seed it determines every future batch.
 */
public record EpochPosition(long epoch, long offset) {
  public EpochPosition {
    if (epoch < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "epoch and offset must be non-negative, got epoch " + epoch + " and offset " + offset);
    }
  }

  /** The start of the first epoch. */
  public static final EpochPosition START = new EpochPosition(0, 0);
}
