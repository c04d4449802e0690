package org.sbgm.torch;

/**
 * A child JVM's main for {@link ThreadsFirstTest}: sets the thread count before anything else touched
 * libtorch, as a library user's program may, then prints the counts in effect.
 */
public final class ThreadsFirst {
  private ThreadsFirst() {}

  public static void main(String[] args) {
    Torch.setThreads(Integer.parseInt(args[0]));
    System.out.println("threads=" + Torch.threads() + " matrix=" + Torch.matrixThreads() + " intraOp="
        + Torch.intraOpThreads());
  }
}
