package org.sbgm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sbgm} command. Errors in what the user gave (a missing file, a malformed array, a bad
 * option value) are reported as one sentence on stderr with exit status 2; anything else exits 1.
 * {@code --debug} adds the stack trace.
 */
@Command(
    name = "sbgm",
    mixinStandardHelpOptions = true,
    version = "sbgm 0.1.0",
    description = "Score-based generative models: train, sample, and compute exact log-likelihoods.",
    subcommands = {DemoCommand.class, TrainCommand.class, SampleCommand.class, LoglikCommand.class, BenchCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = ex;
      boolean user = isUserError(cause);
      String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      err.println("sbgm: " + (user ? "" : "internal error: ") + msg);
      if (debug) {
        cause.printStackTrace(err);
      } else if (!user) {
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

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }
}
