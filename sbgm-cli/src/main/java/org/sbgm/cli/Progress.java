package org.sbgm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr (me.tongfei.progressbar), or nothing with {@code --quiet}. A bar redraws its
 * line in place with a carriage return and ends it with a newline when closed.
 */
public final class Progress {
  private final PrintWriter err;
  private final boolean quiet;

  public Progress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
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
      return new Bar(null);
    }
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, max))
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setConsumer(new LineConsumer(err))
        .setMaxRenderedLength(100);
    if ("steps".equals(unit)) {
      b.showSpeed();
    }
    if (unit != null) {
      b.setUnit(" " + unit, 1);
    }
    return new Bar(b.build());
  }

  /** One bar; every method is a no-op when quiet. */
  public static final class Bar implements AutoCloseable {
    private final ProgressBar bar;

    Bar(ProgressBar bar) {
      this.bar = bar;
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
        bar.setExtraMessage(message);
      }
    }

    /** Seconds since the bar started. */
    public Duration elapsed() {
      return bar == null ? Duration.ZERO : bar.getTotalElapsed();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  /** Draws each rendered line over the previous one. */
  private static final class LineConsumer implements ProgressBarConsumer {
    private final PrintWriter err;

    LineConsumer(PrintWriter err) {
      this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public void accept(String line) {
      synchronized (err) {
        err.print('\r');
        err.print(line);
        err.flush();
      }
    }

    @Override
    public void close() {
      synchronized (err) {
        err.println();
        err.flush();
      }
    }
  }
}
