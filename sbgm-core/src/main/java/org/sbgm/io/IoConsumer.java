package org.sbgm.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, e.g. the body that writes a file's bytes.
 *
 * @param <T> what it consumes
 */
@FunctionalInterface
public interface IoConsumer<T> {
  /** Consumes {@code value}. */
  void accept(T value) throws IOException;
}
