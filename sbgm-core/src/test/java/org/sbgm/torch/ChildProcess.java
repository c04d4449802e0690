package org.sbgm.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A main class of these tests in a fresh JVM on the test class path, for what must run before libtorch boots. */
final class ChildProcess {
  private ChildProcess() {}

  /** The exit status and the combined output of a finished child. */
  record Result(int code, String output) {
    /** The first output line that starts with {@code prefix}, without it. */
    String value(String prefix) {
      return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
          .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in:\n" + output));
    }
  }

  /**
   * Runs {@code mainClass args} with the JVM options {@code jvmOptions} and the environment changed by
   * {@code environment} (a null value removes the variable); waits at most two minutes.
   */
  static Result run(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    environment.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the child " + command + " did not finish");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
