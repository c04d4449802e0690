package org.sbgm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
 * sentence with exit status 1; anything else is an internal error (exit 1). {@code --debug} adds the
 * stack trace.
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
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Failure kind = Failure.of(ex);
      String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
      err.println("sbgm: " + (kind == Failure.INTERNAL ? "internal error: " + ex.getClass().getSimpleName() + ": " : "")
          + msg.lines().findFirst().orElse(msg));
      if (debug) {
        ex.printStackTrace(err);
      } else if (kind == Failure.INTERNAL) {
        err.println("sbgm: this is a bug; run again with --debug for the stack trace");
      }
      err.flush();
      return kind.exitCode;
    });
    int code = cl.execute(rest);
    out.flush();
    err.flush();
    return code;
  }

  /** How an exception is reported, by its type alone. */
  enum Failure {
    /** What the user gave is wrong ({@link InvalidInputException}): exit 2. */
    INPUT(2),
    /** Reading or writing a file failed (permissions, a full disk): exit 2. */
    IO(2),
    /** A run could not finish ({@link RunFailedException}): exit 1. */
    RUN(1),
    /** Anything else is a bug: exit 1, with the exception's type. */
    INTERNAL(1);

    final int exitCode;

    Failure(int exitCode) {
      this.exitCode = exitCode;
    }

    static Failure of(Throwable t) {
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
