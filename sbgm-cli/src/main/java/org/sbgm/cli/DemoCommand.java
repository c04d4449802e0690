package org.sbgm.cli;

import picocli.CommandLine.Command;

/** `sbgm demo` (not yet implemented). */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class DemoCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError("sbgm demo is not implemented yet");
  }
}
