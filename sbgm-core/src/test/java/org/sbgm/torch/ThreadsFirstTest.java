package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Torch#setThreads} called first thing in a fresh JVM holds: booting libtorch must not undo it.
 * (It did: the boot pinned OpenBLAS to one thread and set the default count, then the user's count, equal
 * to the default on a machine with that many cores, was skipped as unchanged, leaving the matrix products
 * on one thread; a count below the default was overwritten by it.)
 */
class ThreadsFirstTest {
  private static String runChild(int n, String waitPolicy) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("OMP_WAIT_POLICY", waitPolicy);
    ChildProcess.Result r = ChildProcess.run(ThreadsFirst.class, List.of(), env, Integer.toString(n));
    assertEquals(0, r.code(), r.output());
    return "threads=" + r.value("threads=");
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
