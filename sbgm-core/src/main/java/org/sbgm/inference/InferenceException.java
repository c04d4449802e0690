package org.sbgm.inference;

import org.sbgm.RunFailedException;

/** An inference run that cannot finish: e.g. no walker of an MCMC finds a point where the posterior is positive. */
public final class InferenceException extends RunFailedException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public InferenceException(String message) {
    super(message);
  }
}
