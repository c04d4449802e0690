package org.sbgm.train;

import java.nio.file.Path;
import org.sbgm.InvalidInputException;

/**
 * A checkpoint file failed verification (bad header, truncated, checksum mismatch, unreadable archive)
 * and nothing was loaded from it. Part of the {@link InvalidInputException} family: the file, not the
 * library, is at fault; the message names it.
 */
public final class CorruptCheckpointException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public CorruptCheckpointException(Path file, String reason) {
    super("Checkpoint " + file + " " + reason + "; refusing to load it.");
    this.file = file;
  }

  /** The refused file. */
  public Path file() {
    return file;
  }
}
