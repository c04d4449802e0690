package org.sbgm.cli;

import picocli.CommandLine.Command;

/** `sbgm sample` (not yet implemented). */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class SampleCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError("sbgm sample is not implemented yet");
  }
}
