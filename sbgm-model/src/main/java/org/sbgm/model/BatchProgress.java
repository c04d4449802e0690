package org.sbgm.model;

/** Progress of a batched computation on one rank (its own chunks, when sharded), e.g. for a progress bar. */
@FunctionalInterface
public interface BatchProgress {
  /** {@code batch} of {@code batches} batches are done, and {@code fraction} ∈ [0, 1] of the next one. */
  void update(int batch, int batches, double fraction);
}
