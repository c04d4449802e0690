package org.sbgm.cli;

import org.sbgm.model.LikelihoodSpec;
import picocli.CommandLine.Option;

/** How {@code loglik} and {@code infer} compute log-likelihoods through the probability-flow ODE. */
final class LikelihoodOptions {
  @Option(names = "--divergence", paramLabel = "KIND",
      description = "exact (D vector-Jacobian products) or hutchinson (default: exact for vectors of up to 64 values, "
          + "hutchinson for images).")
  String divergence;

  @Option(names = "--probes", paramLabel = "K", description = "hutchinson: Rademacher probes per point (default 1).")
  Integer probes;

  @Option(names = "--rtol", paramLabel = "R", description = "Relative tolerance of the Dopri5 solver (default 1e-5).")
  Double rtol;

  @Option(names = "--atol", paramLabel = "A", description = "Absolute tolerance (default 1e-5).")
  Double atol;

  @Option(names = "--epsilon", paramLabel = "EPS",
      description = "The time ε at which the density p_ε is evaluated (the ODE starts there; default 1e-5).")
  Double epsilon;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "The most solver steps per batch before the command fails (default 100000).")
  Integer maxSteps;

  @Option(names = "--error-norm", paramLabel = "NORM",
      description = "per-sample (default: the tolerances hold for every point) or batch-rms (one RMS over each batch, "
          + "as score_sde's scipy solve: fewer evaluations, the tolerances hold on average).")
  String errorNorm;

  /** The settings, checked. */
  LikelihoodSpec settings() {
    return new LikelihoodSpec(divergence, probes, rtol, atol, epsilon, maxSteps, errorNorm);
  }
}
