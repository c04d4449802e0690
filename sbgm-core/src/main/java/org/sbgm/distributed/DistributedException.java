package org.sbgm.distributed;

import org.sbgm.RunFailedException;

/**
 * A distributed run could not go on: a rank died or stalled past the timeout, the master could not be
 * reached, or the ranks disagree (their configurations or data differ). The message is one sentence
 * naming the rank or the address.
 */
public final class DistributedException extends RunFailedException {
  private static final long serialVersionUID = 1L;

  public DistributedException(String message) {
    super(message);
  }

  public DistributedException(String message, Throwable cause) {
    super(message, cause);
  }
}
