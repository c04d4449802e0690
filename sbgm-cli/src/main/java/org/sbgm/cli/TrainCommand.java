package org.sbgm.cli;

import picocli.CommandLine.Command;

/** `sbgm train` (not yet implemented). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class TrainCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError("sbgm train is not implemented yet");
  }
}
