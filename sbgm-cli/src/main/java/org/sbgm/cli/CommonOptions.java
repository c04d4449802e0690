package org.sbgm.cli;

import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Option;

/** Options every command shares: quiet, threads, seed, device, debug. */
public final class CommonOptions {
  @Option(names = "--quiet", description = "No progress bars or notes on stderr.")
  boolean quiet;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads of libtorch and OpenBLAS (default: the idle cores, i.e. the cores minus the load average, at least 1; at most the cores).")
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
      throw new InvalidInputException("--threads must be at least 1, got " + threads);
    }
    int n = threads != null ? threads : idleCores();
    System.setProperty("sbgm.threads", Integer.toString(n));
    Torch.init();
    Torch.setThreads(n);
    try {
      return org.sbgm.torch.Device.resolve(device);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--device: " + e.getMessage(), e);
    }
  }

  /**
   * The cores not already busy: the available processors minus the one-minute load average, at least
   * one. libtorch's OpenMP threads spin while they wait, so more threads than idle cores make every
   * step many times slower (measured here: 10x with two threads on two busy cores).
   */
  static int idleCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    if (load < 0) {
      return cores;
    }
    return (int) Math.max(1, Math.min(cores, Math.round(cores - load)));
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
