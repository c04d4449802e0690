package org.sbgm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code sbgm} command (or another main class of the tests) in a separate JVM on the test class
 * path, for what needs a process of its own: resource limits, kills, a hook installed before anything
 * else runs.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** The exit status and the combined output of a finished child. */
  record Result(int code, String output) {}

  /** The java command with the options the launcher uses, running {@code mainClass}. */
  static List<String> command(String mainClass, List<String> jvmOptions) {
    List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command().orElse("java"));
    c.addAll(List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xss4m", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path")));
    c.addAll(jvmOptions);
    c.add(mainClass);
    return c;
  }

  /** Runs {@code sbgm args} in a child JVM, through {@code bash -c} with {@code shellPrefix} (e.g. "ulimit -f 64;"). */
  static Result sbgm(String shellPrefix, Path log, String... args) throws IOException, InterruptedException {
    List<String> c = command(Main.class.getName(), List.of());
    c.addAll(List.of(args));
    StringBuilder line = new StringBuilder(shellPrefix).append(" exec");
    for (String s : c) {
      line.append(" '").append(s.replace("'", "'\\''")).append("'");
    }
    return run(List.of("bash", "-c", line.toString()), log);
  }

  /** Runs {@code command}, its output into {@code log}, and waits (at most five minutes). */
  static Result run(List<String> command, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the child " + command + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
