package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.solve.IntegrationException;
import org.sbgm.train.TrainingException;

/** Exceptions are reported by their type alone: the library's two families, I/O failures, and bugs. */
class ExitCodesTest {
  @Test
  void inputErrorsExitTwoRunFailuresOneAndEverythingElseIsInternal() {
    assertEquals(Main.Failure.INPUT, Main.Failure.of(new InvalidInputException("bad value 3")));
    assertEquals(2, Main.Failure.of(new InvalidInputException("bad value 3")).exitCode);
    assertEquals(Main.Failure.IO, Main.Failure.of(new UncheckedIOException(new IOException("disk full"))));
    assertEquals(Main.Failure.RUN, Main.Failure.of(new IntegrationException("the state became non-finite", 0.5, 12)));
    assertEquals(Main.Failure.RUN, Main.Failure.of(new TrainingException(7, "Training stopped at step 7")));
    assertEquals(1, Main.Failure.RUN.exitCode);
    assertEquals(Main.Failure.MEMORY, Main.Failure.of(new OutOfMemoryError("Java heap space")));
    assertEquals(Main.Failure.MEMORY, Main.Failure.of(new RuntimeException("DefaultCPUAllocator: not enough memory: you tried "
        + "to allocate 48000000000 bytes.")));
    assertEquals(1, Main.Failure.MEMORY.exitCode);
    // a plain IllegalArgumentException or IllegalStateException, whatever its text, is a bug
    assertEquals(Main.Failure.INTERNAL, Main.Failure.of(new IllegalArgumentException("non-finite input")));
    assertEquals(Main.Failure.INTERNAL, Main.Failure.of(new IllegalStateException("non-finite values")));
    assertEquals(Main.Failure.INTERNAL, Main.Failure.of(new NullPointerException()));
    assertEquals(1, Main.Failure.INTERNAL.exitCode);
  }
}
