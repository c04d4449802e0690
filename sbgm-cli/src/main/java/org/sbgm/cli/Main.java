package org.sbgm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sbgm.InvalidInputException;
import org.sbgm.RunFailedException;
import org.sbgm.model.Training;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sbgm} command, a thin shell over the library: options, progress bars, plots and exit codes.
 * Errors are reported by type ({@link Failure}): the library's {@link InvalidInputException} (a missing
 * or malformed file, a bad option or configuration value, a wrong shape, NaN) and I/O failures as one
 * sentence with exit status 2; a {@link RunFailedException} (a diverging training run or ODE solve) as one
 * sentence with exit status 1; a run that needs more memory than the machine gives (a Java
 * {@link OutOfMemoryError}, a libtorch "tried to allocate N bytes") as one "out of memory" sentence with exit status 1;
 * anything else is an internal error (exit 1). {@code --debug} adds the stack trace.
 */
@Command(
    name = "sbgm",
    mixinStandardHelpOptions = true,
    version = "sbgm " + Training.VERSION,
    description = "Score-based generative models: train, sample, and compute exact log-likelihoods.",
    footer = {"", "Run 'sbgm COMMAND --help' for the options of a command. Start with 'sbgm demo'."},
    subcommands = {DemoCommand.class, TrainCommand.class, SampleCommand.class, PosteriorCommand.class, LoglikCommand.class,
        InferCommand.class, SimulateCommand.class, GrfCommand.class, MeasureCommand.class, ExportCommand.class,
        BenchCommand.class})
public final class Main implements Runnable {
  static {
    System.setProperty("java.awt.headless", "true");
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // the library's warnings as short lines, "WARN <sentence>", not "[main] WARN org.sbgm.torch.Torch - <sentence>"
    for (String key : new String[] {"org.slf4j.simpleLogger.showThreadName", "org.slf4j.simpleLogger.showLogName"}) {
      System.setProperty(key, System.getProperty(key, "false"));
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static volatile boolean debugRequested;

  /** Whether the command line asked for stack traces (a launcher passes it on to its ranks). */
  static boolean debugRequested() {
    return debugRequested;
  }

  /** Runs the command line and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = Arrays.asList(args).contains("--debug");
    debugRequested = debug;
    String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, params) -> {
      CommandLine sub = ex.getCommandLine();
      String name = sub.getCommandSpec().qualifiedName();
      String msg = ex.getMessage() == null ? "invalid arguments" : ex.getMessage().lines().findFirst().orElse("");
      err.println("sbgm: " + msg + " (see '" + name + " --help')");
      if (debug) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err, debug));
    int code;
    try {
      code = cl.execute(rest);
    } catch (OutOfMemoryError e) {
      code = report(e, err, debug);
    }
    out.flush();
    err.flush();
    return code;
  }

  /** Reports {@code ex} as one line on {@code err} (with the stack trace when {@code debug}) and returns the exit status. */
  static int report(Throwable ex, PrintWriter err, boolean debug) {
    Failure kind = Failure.of(ex);
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if (kind == Failure.MEMORY) {
      msg = outOfMemory(ex);
    }
    err.println("sbgm: " + (kind == Failure.INTERNAL ? "internal error: " + ex.getClass().getSimpleName() + ": " : "")
        + msg.lines().findFirst().orElse(msg));
    if (debug) {
      ex.printStackTrace(err);
    } else if (kind == Failure.INTERNAL) {
      err.println("sbgm: this is a bug; run again with --debug for the stack trace");
    }
    err.flush();
    return kind.exitCode;
  }

  /** libtorch's words for an allocation it could not make: "you tried to allocate 48000000000 bytes", "Tried to allocate 2.00 GiB". */
  private static final Pattern ALLOCATE = Pattern.compile("tried to allocate ([0-9]+(?:\\.[0-9]+)?) ?(bytes|[KMGTP]iB)",
      Pattern.CASE_INSENSITIVE);

  /** What to try instead of a run that ran out of memory. */
  static final String SMALLER = "use a smaller --n, --batch, --size, --grid, --chains or --steps";

  /**
   * The sentence for {@code t} when it, or one of its causes, is a Java {@link OutOfMemoryError} or a libtorch
   * allocation failure; null otherwise.
   */
  static String outOfMemory(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return "out of memory: the run needed more than the " + org.sbgm.Memory.format(org.sbgm.Memory.heap())
            + " the Java heap may use (-Xmx); " + SMALLER;
      }
      String m = c.getMessage();
      Matcher a = m == null ? null : ALLOCATE.matcher(m);
      if (a != null && a.find()) {
        double v = Double.parseDouble(a.group(1));
        String unit = a.group(2).toLowerCase(java.util.Locale.ROOT);
        int power = "bytes".equals(unit) ? 0 : "kmgtp".indexOf(unit.charAt(0)) + 1;
        return "out of memory: the run needed to allocate " + org.sbgm.Memory.format(v * Math.pow(1024, power))
            + " more than this machine could give; " + SMALLER;
      }
    }
    return null;
  }

  /** How an exception is reported, by its type alone. */
  enum Failure {
    /** What the user gave is wrong ({@link InvalidInputException}): exit 2. */
    INPUT(2),
    /** Reading or writing a file failed (permissions, a full disk): exit 2. */
    IO(2),
    /** A run could not finish ({@link RunFailedException}): exit 1. */
    RUN(1),
    /**
     * The machine could not give the memory the run needed (a Java {@link OutOfMemoryError}, a libtorch allocation
     * failure): exit 1, as a run that could not finish.
     */
    MEMORY(1),
    /** Anything else is a bug: exit 1, with the exception's type. */
    INTERNAL(1);

    final int exitCode;

    Failure(int exitCode) {
      this.exitCode = exitCode;
    }

    static Failure of(Throwable t) {
      if (outOfMemory(t) != null) {
        return MEMORY;
      }
      if (t instanceof InvalidInputException) {
        return INPUT;
      }
      if (t instanceof RunFailedException) {
        return RUN;
      }
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return IO;
      }
      return INTERNAL;
    }
  }

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }
}
