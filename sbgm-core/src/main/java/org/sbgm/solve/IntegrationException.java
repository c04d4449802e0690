package org.sbgm.solve;

/**
 * An integration that cannot go on: too many steps, a non-finite state, or a step too small. The
 * message names the time reached and the number of vector-field evaluations spent.
 */
public final class IntegrationException extends org.sbgm.RunFailedException {
  private static final long serialVersionUID = 1L;

  private final double time;
  private final long nfe;

  /** A failure at time {@code t} after {@code nfe} evaluations, for {@code reason} (one sentence, no final period). */
  public IntegrationException(String reason, double t, long nfe) {
    super(reason + " (at t = " + t + ", after NFE = " + nfe + ").");
    this.time = t;
    this.nfe = nfe;
  }

  /** The time reached (the start of the step that failed). */
  public double time() {
    return time;
  }

  /** The number of vector-field evaluations spent. */
  public long nfe() {
    return nfe;
  }
}
