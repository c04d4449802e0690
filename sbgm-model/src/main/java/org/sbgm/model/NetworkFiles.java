package org.sbgm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sbgm.InvalidInputException;
import org.sbgm.config.NetworkSpec;
import org.sbgm.config.TorchScriptSpec;
import org.sbgm.io.Manifest;

/** The files a network section names (a TorchScript module, an {@code init} weight file), checked before a run starts. */
final class NetworkFiles {
  private NetworkFiles() {}

  /**
   * Throws unless every file {@code network} names exists; for a resumed TorchScript run, also unless the
   * module is the one the run started with (the copy in {@code dir}), whose checkpoints it must read.
   */
  static void check(NetworkSpec network, Path dir, boolean resume) {
    if (network.init() != null && !resume && !Files.isRegularFile(Path.of(network.init()))) {
      throw new InvalidInputException("network.init: the weight file " + network.init() + " does not exist");
    }
    if (!(network instanceof TorchScriptSpec ts)) {
      return;
    }
    Path module = Path.of(ts.path());
    if (!Files.isRegularFile(module)) {
      throw new InvalidInputException("network.path: the TorchScript module " + module + " does not exist");
    }
    Path copy = dir.resolve(ModelDirectory.MODULE);
    if (resume && Files.isRegularFile(copy)) {
      try {
        if (!Files.isSameFile(module, copy) && !Manifest.sha256(module).equals(Manifest.sha256(copy))) {
          throw new InvalidInputException("network.path: the TorchScript module " + module + " differs from " + copy
              + ", the one this run started with; resume with the same module");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the TorchScript module " + module + ": " + e.getMessage(), e);
      }
    }
  }
}
