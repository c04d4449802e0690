package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Torch#setThreads} called first thing in a fresh JVM holds: booting libtorch must not undo it.
 * (It did: the boot pinned OpenBLAS to one thread and set the default count, then the user's count, equal
 * to the default on a machine with that many cores, was skipped as unchanged, leaving the matrix products
 * on one thread; a count below the default was overwritten by it.)
 */
class ThreadsFirstTest {
  private static String runChild(int n, String waitPolicy) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), ThreadsFirst.class.getName(), Integer.toString(n))
        .redirectErrorStream(true);
    if (waitPolicy == null) {
      pb.environment().remove("OMP_WAIT_POLICY");
    } else {
      pb.environment().put("OMP_WAIT_POLICY", waitPolicy);
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the child did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text.lines().filter(l -> l.startsWith("threads=")).findFirst().orElseThrow(() -> new AssertionError(text));
  }

  @Test
  void aCountSetBeforeAnythingElseIsTheOneInEffect() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    // the default count (the bug's case where the matrix products stayed on one thread), one below it, and one thread
    for (int n : List.of(Math.max(2, cores), 1)) {
      assertEquals("threads=" + n + " matrix=" + n + " intraOp=1", runChild(n, null), "n=" + n + ", OMP_WAIT_POLICY unset");
      assertEquals("threads=" + n + " matrix=" + n + " intraOp=" + n, runChild(n, "PASSIVE"), "n=" + n + ", PASSIVE");
    }
  }
}
