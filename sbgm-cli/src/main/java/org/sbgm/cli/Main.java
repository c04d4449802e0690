package org.sbgm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sbgm} command. Errors in what the user gave (a missing file, a malformed array, a bad
 * option value, a bad configuration key) are reported as one sentence on stderr with exit status 2; a
 * run that fails on its own (a diverging training run or ODE solve) exits 1 with its message; anything
 * else is an internal error (exit 1). {@code --debug} adds the stack trace.
 */
@Command(
    name = "sbgm",
    mixinStandardHelpOptions = true,
    version = "sbgm " + TrainingRun.VERSION,
    description = "Score-based generative models: train, sample, and compute exact log-likelihoods.",
    footer = {"", "Run 'sbgm COMMAND --help' for the options of a command. Start with 'sbgm demo'."},
    subcommands = {DemoCommand.class, TrainCommand.class, SampleCommand.class, LoglikCommand.class, GrfCommand.class, BenchCommand.class})
public final class Main implements Runnable {
  static {
    System.setProperty("java.awt.headless", "true");
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = Arrays.asList(args).contains("--debug");
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
      Throwable cause = ex;
      boolean user = isUserError(cause);
      boolean failure = !user && isRunFailure(cause);
      String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      err.println("sbgm: " + (user || failure ? "" : "internal error: ") + msg);
      if (debug) {
        cause.printStackTrace(err);
      } else if (!user && !failure) {
        err.println("sbgm: run again with --debug for the stack trace");
      }
      err.flush();
      return user ? 2 : 1;
    });
    int code = cl.execute(rest);
    out.flush();
    err.flush();
    return code;
  }

  static boolean isUserError(Throwable t) {
    return t instanceof UserError
        || t instanceof IllegalArgumentException
        || t instanceof java.io.IOException
        || t instanceof java.io.UncheckedIOException;
  }

  /** A run that stopped on its own with a clear message (not a bug, not the user's input). */
  static boolean isRunFailure(Throwable t) {
    return t instanceof org.sbgm.train.TrainingException
        || t instanceof org.sbgm.solve.IntegrationException
        || (t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().contains("non-finite"));
  }

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }
}
