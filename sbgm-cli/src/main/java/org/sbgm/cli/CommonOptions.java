package org.sbgm.cli;

import org.sbgm.torch.Torch;
import picocli.CommandLine.Option;

/** Options every command shares: quiet, threads, seed, device, debug. */
public final class CommonOptions {
  @Option(names = "--quiet", description = "No progress bars or notes on stderr.")
  boolean quiet;

  @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads of libtorch (default: all cores).")
  Integer threads;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of every random draw of this command.")
  Long seed;

  @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu",
      description = "cpu, cuda or auto (CUDA when libtorch sees one). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--debug", description = "Print the stack trace of an error.")
  boolean debug;

  /** Applies the thread count and resolves the device; call before any work. */
  public org.bytedeco.pytorch.Device apply() {
    if (threads != null && threads < 1) {
      throw new UserError("--threads must be at least 1, got " + threads);
    }
    if (threads != null) {
      System.setProperty("sbgm.threads", Integer.toString(threads));
    }
    Torch.init();
    if (threads != null) {
      Torch.setThreads(threads);
    }
    try {
      return org.sbgm.torch.Device.resolve(device);
    } catch (IllegalArgumentException e) {
      throw new UserError("--device: " + e.getMessage(), e);
    }
  }

  /** The seed given, or {@code fallback}. */
  public long seedOr(long fallback) {
    return seed == null ? fallback : seed;
  }

  /** True when a seed was given. */
  public boolean hasSeed() {
    return seed != null;
  }

  public boolean quiet() {
    return quiet;
  }
}
