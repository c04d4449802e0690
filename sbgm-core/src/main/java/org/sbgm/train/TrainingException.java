package org.sbgm.train;

/**
 * Training stopped because step {@code step} produced a non-finite loss or gradient. The model, the
 * optimiser and any checkpoint on disk were left as they were after the last good step's checkpoint.
 */
public final class TrainingException extends org.sbgm.RunFailedException {
  private static final long serialVersionUID = 1L;
  private final long step;

  public TrainingException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The (1-based) step that failed. */
  public long step() {
    return step;
  }
}
