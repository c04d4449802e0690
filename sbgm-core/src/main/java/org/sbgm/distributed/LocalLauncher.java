package org.sbgm.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sbgm.InvalidInputException;

/**
 * Runs N ranks of one command on this machine, as {@code torchrun --nproc-per-node N} does: each rank is
 * a child JVM of the same java, class path, JVM options and main class as this one, given the command's
 * arguments plus {@code --rank r --world-size N --master 127.0.0.1:<free port>} (the store listens on
 * loopback only) and {@code -Dsbgm.threads=<cores/N>}.
 *
 * <p>Output: rank 0's stdout and stderr are this process's; the other ranks' lines go to stderr with a
 * {@code [rank r]} prefix (the caller makes them quiet). Supervision: when a rank exits non-zero the
 * others are given the timeout (plus a few seconds) to notice and exit, then killed; the launcher
 * returns that rank's status (1 when it died of a signal) after one line naming it.
 */
public final class LocalLauncher {
  private static final java.util.regex.Pattern GLOO_NOTE =
      java.util.regex.Pattern.compile("\\[Gloo\\] Rank \\d+ is connected to \\d+ peer ranks");
  private final int ranks;
  private final Duration timeout;
  private final List<String> javaCommand;

  /**
   * @param ranks the number of ranks, at least 1
   * @param timeout how long the survivors of a failed rank are given before they are killed
   */
  public LocalLauncher(int ranks, Duration timeout) {
    if (ranks < 1) {
      throw new InvalidInputException("--nproc is " + ranks + "; expected at least 1.");
    }
    this.ranks = ranks;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.javaCommand = thisJava();
  }

  /** The java executable, this JVM's options and class path, and the main class of this process. */
  private static List<String> thisJava() {
    List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Dsbgm.threads=") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        c.add(a);
      }
    }
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    String main = System.getProperty("sun.java.command", "").split(" ")[0];
    if (main.isEmpty() || main.endsWith(".jar")) {
      throw new IllegalStateException("cannot tell this process's main class (sun.java.command is '"
          + System.getProperty("sun.java.command") + "')");
    }
    c.add(main);
    return c;
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the ranks of {@code args} (the whole command line of the main class, without the launcher's
   * own option) and returns the exit status: 0 when every rank succeeded.
   *
   * @param otherRankArgs extra arguments for ranks 1.. (e.g. "--quiet")
   */
  public int run(List<String> args, List<String> otherRankArgs, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    int port = freeLoopbackPort();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / ranks);
    List<Process> children = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    String[] lastError = new String[ranks];
    try {
      for (int r = 0; r < ranks; r++) {
        List<String> c = new ArrayList<>(javaCommand);
        c.add(c.size() - 1, "-Dsbgm.threads=" + threads);
        c.addAll(args);
        c.addAll(List.of("--rank", Integer.toString(r), "--world-size", Integer.toString(ranks),
            "--master", "127.0.0.1:" + port));
        if (r > 0) {
          c.addAll(otherRankArgs);
        }
        ProcessBuilder pb = new ProcessBuilder(c);
        pb.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "FATAL");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        // the children must not see a torchrun/SLURM environment meant for this process
        for (String v : List.of("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "SLURM_PROCID")) {
          pb.environment().remove(v);
        }
        Process p = pb.start();
        children.add(p);
        String prefix = r == 0 ? "" : "[rank " + r + "] ";
        pumps.add(pump(p.getInputStream(), r == 0 ? out : err, prefix, false, null, r));
        pumps.add(pump(p.getErrorStream(), err, prefix, r == 0, lastError, r));
      }
      int status = supervise(children, err, lastError);
      for (Thread t : pumps) {
        t.join(2000);
      }
      out.flush();
      err.flush();
      return status;
    } finally {
      for (Process p : children) {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static final java.util.regex.Pattern CULPRIT =
      java.util.regex.Pattern.compile("^sbgm: Ranks? \\[?(\\d+).*? (stalled|died)");

  private int supervise(List<Process> children, PrintWriter err, String[] lastError) throws InterruptedException {
    int failed = -1;
    int status = 0;
    long deadline = Long.MAX_VALUE;
    while (true) {
      boolean anyAlive = false;
      for (int r = 0; r < children.size(); r++) {
        Process p = children.get(r);
        if (p.isAlive()) {
          anyAlive = true;
        } else if (failed < 0 && p.exitValue() != 0) {
          failed = r;
          status = p.exitValue();
          deadline = System.nanoTime() + timeout.toNanos() + Duration.ofSeconds(10).toNanos();
        }
      }
      if (!anyAlive) {
        break;
      }
      if (failed >= 0) {
        // a rank the failed one names as stalled will not exit by itself (it may be stopped)
        java.util.regex.Matcher m = CULPRIT.matcher(String.valueOf(lastError[failed]));
        if (m.find() && m.group(2).equals("stalled")) {
          int c = Integer.parseInt(m.group(1));
          if (c >= 0 && c < children.size() && children.get(c).isAlive()) {
            children.get(c).destroyForcibly();
          }
        }
      }
      if (System.nanoTime() > deadline) {
        for (Process p : children) {
          if (p.isAlive()) {
            p.destroyForcibly();
          }
        }
        for (Process p : children) {
          p.waitFor();
        }
        break;
      }
      Thread.sleep(50);
    }
    if (failed < 0) {
      return 0;
    }
    String how = status > 128 ? "was killed by signal " + (status - 128) : "exited with status " + status;
    java.util.regex.Matcher m = CULPRIT.matcher(String.valueOf(lastError[failed]));
    if (m.find() && Integer.parseInt(m.group(1)) != failed) {
      err.println("sbgm: rank " + m.group(1) + " of " + children.size() + " " + m.group(2) + " (reported by rank " + failed
          + ", which " + how + "); the run stopped.");
    } else {
      err.println("sbgm: rank " + failed + " of " + children.size() + " " + how + "; the run stopped.");
    }
    return status == 2 ? 2 : 1;
  }

  private static void remember(String[] lastError, int rank, String line) {
    if (lastError != null && line.startsWith("sbgm: ")) {
      lastError[rank] = line;
    }
  }

  /**
   * Copies a child's stream: verbatim when {@code raw} (rank 0's stderr, whose progress bars rewrite
   * their line with \r), else line by line with {@code prefix}, leaving out Gloo's "[Gloo] Rank r is
   * connected to ..." note, which Gloo prints to stdout unconditionally.
   */
  private static Thread pump(InputStream in, PrintWriter to, String prefix, boolean raw, String[] lastError, int rank) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        if (raw) {
          char[] buf = new char[8192];
          int n;
          StringBuilder line = new StringBuilder();
          while ((n = r.read(buf)) > 0) { // rank 0 verbatim: progress bars rewrite their line with \r
            for (int i = 0; i < n; i++) {
              if (buf[i] == '\n' || buf[i] == '\r') {
                remember(lastError, rank, line.toString());
                line.setLength(0);
              } else {
                line.append(buf[i]);
              }
            }
            synchronized (to) {
              to.write(buf, 0, n);
              to.flush();
            }
          }
          return;
        }
        String line;
        while ((line = r.readLine()) != null) {
          if (GLOO_NOTE.matcher(line).lookingAt()) {
            continue;
          }
          remember(lastError, rank, line);
          synchronized (to) {
            to.println(prefix + line);
            to.flush();
          }
        }
      } catch (IOException e) {
        // the child is gone
      }
    }, "sbgm-rank-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
