package org.sbgm.cli;

import picocli.CommandLine.Command;

/** `sbgm loglik` (not yet implemented). */
@Command(name = "loglik", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class LoglikCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError("sbgm loglik is not implemented yet");
  }
}
