package org.sbgm.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file failed verification (bad header, truncated, checksum mismatch) and was not loaded. */
public final class CorruptCheckpointException extends IOException {
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
