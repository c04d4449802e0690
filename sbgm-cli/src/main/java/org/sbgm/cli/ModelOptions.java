package org.sbgm.cli;

import java.nio.file.Path;
import org.bytedeco.pytorch.Device;
import org.sbgm.InvalidInputException;
import org.sbgm.model.Model;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import picocli.CommandLine.Option;

/** What {@code sample} and {@code loglik} run on: {@code --model DIR}, or {@code --oracle FILE.json} with {@code --sde}. */
final class ModelOptions {
  @Option(names = "--model", paramLabel = "DIR", description = "A model directory written by sbgm train.")
  Path model;

  @Option(names = "--oracle", paramLabel = "FILE.json",
      description = "Use the exact score of a Gaussian mixture {\"weights\", \"means\", \"covariances\"} instead of a model "
          + "(with \"maps\" [K][D][P]: the conditional mixture with means mu_k + A_k pi).")
  Path oracle;

  @Option(names = "--sde", paramLabel = "TYPE", description = "With --oracle: vp, subvp or ve (default vp).")
  String sde;

  /** The model or the oracle, evaluated on {@code device}. */
  Model open(Device device) {
    if ((model == null) == (oracle == null)) {
      throw new InvalidInputException(model == null ? "give a model with --model DIR, or an exact mixture with --oracle FILE.json"
          : "give either --model or --oracle, not both");
    }
    if (model != null) {
      if (sde != null) {
        throw new InvalidInputException("--sde applies only with --oracle; a model directory records its own SDE");
      }
      return Model.load(model).on(device);
    }
    Sde forward;
    try {
      forward = Sdes.parse(sde == null ? "vp" : sde);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--sde: " + e.getMessage(), e);
    }
    return Model.oracle(oracle, forward);
  }
}
