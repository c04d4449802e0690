package org.sbgm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code sample} and {@code loglik} run on: {@code --model DIR}, or {@code --oracle FILE.json} with {@code --sde}. */
final class ModelOptions {
  @Option(names = "--model", paramLabel = "DIR", description = "A model directory written by sbgm train.")
  Path model;

  @Option(names = "--oracle", paramLabel = "FILE.json",
      description = "Use the exact score of a Gaussian mixture {\"weights\", \"means\", \"covariances\"} instead of a model.")
  Path oracle;

  @Option(names = "--sde", paramLabel = "TYPE", description = "With --oracle: vp, subvp or ve (default vp).")
  String sde;

  /** The model or the oracle, on {@code device}. */
  ScoreSource open(org.bytedeco.pytorch.Device device) {
    return ScoreSource.open(model, oracle, sde, device);
  }
}
