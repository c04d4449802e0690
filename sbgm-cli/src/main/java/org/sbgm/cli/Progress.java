package org.sbgm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr (me.tongfei.progressbar), or nothing with {@code --quiet}. On a terminal a
 * bar redraws its line in place with a carriage return and ends it with a newline when closed; when
 * stderr goes to a file or pipe (a log) it writes whole lines instead: the first one, then at most
 * one every {@link #LOG_INTERVAL_SECONDS} seconds, then the last one.
 */
public final class Progress {
  /** Seconds between the lines a bar writes when stderr is not a terminal. */
  public static final long LOG_INTERVAL_SECONDS = 30;

  private final PrintWriter err;
  private final boolean quiet;
  private final boolean terminal;

  /** Bars on {@code err}, redrawn in place when this process has a terminal. */
  public Progress(PrintWriter err, boolean quiet) {
    this(err, quiet, hasTerminal());
  }

  /** Bars on {@code err}, redrawn in place if {@code terminal}, else written as whole lines now and then. */
  public Progress(PrintWriter err, boolean quiet, boolean terminal) {
    this.err = err;
    this.quiet = quiet;
    this.terminal = terminal;
  }

  /** Whether this process talks to a terminal (Console.isTerminal where the JDK has it, Java 22 and later). */
  static boolean hasTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** A silent instance. */
  public static Progress silent() {
    return new Progress(new PrintWriter(java.io.Writer.nullWriter()), true);
  }

  /** True when bars and notes are suppressed. */
  public boolean quiet() {
    return quiet;
  }

  /** Prints a note line on stderr (unless quiet). */
  public void note(String line) {
    if (!quiet) {
      err.println(line);
      err.flush();
    }
  }

  /** A bar for {@code task} from 0 to {@code max} {@code unit}s. */
  public Bar bar(String task, long max, String unit) {
    if (quiet) {
      return new Bar(null, null);
    }
    LineConsumer consumer = new LineConsumer(err, terminal);
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, max))
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setConsumer(consumer)
        .setMaxRenderedLength(100);
    if ("steps".equals(unit)) {
      b.showSpeed();
    }
    if (unit != null) {
      b.setUnit(" " + unit, 1);
    }
    return new Bar(b.build(), consumer);
  }

  /** One bar; every method is a no-op when quiet. */
  public static final class Bar implements AutoCloseable {
    private final ProgressBar bar;
    private final LineConsumer consumer;

    Bar(ProgressBar bar, LineConsumer consumer) {
      this.bar = bar;
      this.consumer = consumer;
    }

    public void stepTo(long n) {
      if (bar != null) {
        bar.stepTo(n);
      }
    }

    public void step() {
      if (bar != null) {
        bar.step();
      }
    }

    public void extra(String message) {
      if (bar != null) {
        bar.setExtraMessage(message == null || message.isEmpty() ? message : " " + message);
      }
    }

    /** A sampling listener that moves this bar, of 1000 units, in permille of the whole run. */
    public org.sbgm.model.SamplingListener permille() {
      return new org.sbgm.model.SamplingListener() {
        @Override
        public void progress(int batch, int batches, double fraction) {
          stepTo(Math.round(1000 * (batch + fraction) / batches));
        }
      };
    }

    /** Seconds since the bar started. */
    public Duration elapsed() {
      return bar == null ? Duration.ZERO : bar.getTotalElapsed();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        // the library skips closing its consumer when the bar ends before its first scheduled refresh
        consumer.close();
      }
    }
  }

  /** Draws each rendered line over the previous one, or writes whole lines now and then. */
  private static final class LineConsumer implements ProgressBarConsumer {
    private final PrintWriter err;
    private final boolean terminal;
    private String pending;
    private long lastWritten;
    private boolean started;
    private boolean closed;

    LineConsumer(PrintWriter err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public void accept(String line) {
      synchronized (err) {
        if (terminal) {
          err.print('\r');
          err.print(line);
        } else {
          long now = System.nanoTime();
          if (!started || now - lastWritten >= LOG_INTERVAL_SECONDS * 1_000_000_000L) {
            err.println(line.strip());
            started = true;
            lastWritten = now;
            pending = null;
          } else {
            pending = line;
          }
        }
        err.flush();
      }
    }

    @Override
    public void close() {
      synchronized (err) {
        if (closed) {
          return;
        }
        closed = true;
        if (terminal) {
          err.println();
        } else if (pending != null) {
          err.println(pending.strip());
          pending = null;
        }
        err.flush();
      }
    }
  }
}
