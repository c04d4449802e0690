package org.sbgm.cli;

/** Placeholder entry point; replaced by the picocli command. */
public final class Main {
  public static void main(String[] args) {
    System.out.println("sbgm: usage: sbgm <demo|train|sample|loglik|bench> [options]");
  }
}
