package org.sbgm.data;

import org.sbgm.InvalidInputException;

/**
 * Where a {@link DataLoader} stands: the epoch and the offset of the next sample within that epoch's
 * permutation. Together with the loader's seed it determines every later batch exactly, so a
 * trainer checkpoints it and resumes with {@link DataLoader#seek(DataPosition)}.
 *
 * @param epoch the epoch, from 0
 * @param offset the index of the next sample within the epoch's permutation, from 0
 */
public record DataPosition(long epoch, long offset) {
  /** The start of training. */
  public static final DataPosition START = new DataPosition(0, 0);

  /** Validates that both parts are non-negative. */
  public DataPosition {
    if (epoch < 0 || offset < 0) {
      throw new InvalidInputException("data position (epoch " + epoch + ", offset " + offset + ") must be non-negative");
    }
  }
}
