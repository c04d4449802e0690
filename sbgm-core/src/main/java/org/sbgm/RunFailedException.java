package org.sbgm;

/**
 * A long computation could not finish on its own terms although its inputs were valid: a training
 * step with a non-finite loss, an ODE or SDE solve that produced NaN, exhausted its step budget or
 * could no longer advance. The message is one sentence saying where it stopped (the step, or t and
 * the number of function evaluations) and what was left untouched. The {@code sbgm} command reports
 * it as one line with exit status 1.
 */
public abstract class RunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  protected RunFailedException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, with its {@code cause}. */
  protected RunFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
