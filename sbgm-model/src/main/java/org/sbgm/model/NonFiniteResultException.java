package org.sbgm.model;

/**
 * A computation over the user's points that gave a non-finite value (NaN or ±∞) for some of them, such as the
 * log-likelihood of a point so far from the data that its density underflows: a run that cannot give an
 * answer, reported as one sentence naming the first such point.
 */
public final class NonFiniteResultException extends org.sbgm.RunFailedException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public NonFiniteResultException(String message) {
    super(message);
  }
}
