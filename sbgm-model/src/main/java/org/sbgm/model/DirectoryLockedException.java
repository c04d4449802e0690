package org.sbgm.model;

import java.nio.file.Path;
import org.sbgm.InvalidInputException;

/**
 * A model directory is locked by another run ({@link DirectoryLock}): nothing was written. Part of the
 * input-error family: the user asked for a directory that is busy.
 */
public final class DirectoryLockedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  DirectoryLockedException(Path directory, String holder) {
    super("model directory '" + directory + "' is in use: " + holder + " holds its lock; wait for that run to finish,"
        + " or use another directory");
    this.directory = directory;
  }

  /** The locked directory. */
  public Path directory() {
    return directory;
  }
}
