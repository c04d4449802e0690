package org.sbgm;

/**
 * Something a user gave the library is wrong: a malformed or missing file, a configuration value out
 * of range, an array of the wrong shape, NaN where finite numbers are needed. The message is one
 * sentence that names the offending value (the file, the key, the shape) and says what was expected.
 *
 * <p>It extends {@link IllegalArgumentException}, so code that guards a call with
 * {@code catch (IllegalArgumentException e)} keeps working; but only this type (and its subclasses)
 * means "the input is wrong". A plain {@code IllegalArgumentException} from the library is a bug.
 * The {@code sbgm} command reports this family as one line with exit status 2.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An input error described by {@code message} (one sentence naming the value and what was expected). */
  public InvalidInputException(String message) {
    super(message);
  }

  /** As {@link #InvalidInputException(String)}, keeping the lower-level {@code cause}. */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
