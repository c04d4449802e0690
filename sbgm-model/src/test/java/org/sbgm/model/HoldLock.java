package org.sbgm.model;

import java.nio.file.Path;

/**
 * A separate process that takes a model directory's lock, prints "locked" and holds it until its
 * standard input closes (or it is killed): the other run of the lock tests.
 */
public final class HoldLock {
  private HoldLock() {}

  public static void main(String[] args) throws Exception {
    try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "training")) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold
      }
    }
  }

  /** Starts a JVM that holds {@code dir}'s lock and returns once it does. */
  public static Process start(Path dir) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    if (!"locked".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("the lock holder did not start: " + line);
    }
    return p;
  }
}
