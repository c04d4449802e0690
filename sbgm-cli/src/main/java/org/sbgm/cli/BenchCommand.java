package org.sbgm.cli;

import picocli.CommandLine.Command;

/** `sbgm bench` (not yet implemented). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError("sbgm bench is not implemented yet");
  }
}
