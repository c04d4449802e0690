package org.sbgm.config;

import java.util.List;

/**
 * A training configuration file: the data, the forward SDE, the score network, what the network's
 * output means ({@code epsilon}: the noise, s = -F/σ; {@code score}: the score itself) and the training
 * run. See {@code configs/} for examples.
 */
public record RunConfig(DataSpec data, SdeSpec sde, NetworkSpec network, String parameterisation, TrainingSpec training) {
  public RunConfig {
    Checks.required("data", data, "a section with source: toy, file or grf");
    sde = Checks.or(sde, SdeSpec.of("vp"));
    Checks.required("network", network, "a section with type: " + String.join(", ", NetworkSpec.TYPES));
    parameterisation = Checks.oneOf("parameterisation", Checks.or(parameterisation, "epsilon"), List.of("epsilon", "score"));
    Checks.required("training", training, "a section with at least steps");
  }

  /** This configuration with a new training section. */
  public RunConfig withTraining(TrainingSpec t) {
    return new RunConfig(data, sde, network, parameterisation, t);
  }

  /** This configuration with a new network section. */
  public RunConfig withNetwork(NetworkSpec n) {
    return new RunConfig(data, sde, n, parameterisation, training);
  }

  /** This configuration with a new data section. */
  public RunConfig withData(DataSpec d) {
    return new RunConfig(d, sde, network, parameterisation, training);
  }
}
