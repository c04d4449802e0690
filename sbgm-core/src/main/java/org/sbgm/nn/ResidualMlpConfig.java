package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * A residual MLP for vector data x ∈ ℝ^D (sbgm's {@code ResidualNetwork}).
 *
 * @param dataDim D, the size of x and of the output
 * @param width the width of the residual stream
 * @param depth the number of residual blocks (≥ 1)
 * @param activation the nonlinearity
 * @param dropout the dropout probability inside each block, in [0, 1)
 * @param timeEmbedding how t is embedded
 * @param conditionDim P, the size of the parameter condition π, embedded linearly and added to the time embedding (0 = none)
 */
public record ResidualMlpConfig(int dataDim, int width, int depth, Activation activation, double dropout,
    TimeEmbeddingConfig timeEmbedding, int conditionDim) implements NetworkConfig {
  /** Validates the fields. */
  public ResidualMlpConfig {
    if (dataDim < 1 || width < 1 || depth < 1) {
      throw new InvalidInputException(
          "ResidualMlp needs dataDim, width and depth of at least 1, got " + dataDim + ", " + width + ", " + depth);
    }
    if (activation == null || timeEmbedding == null) {
      throw new InvalidInputException("ResidualMlp needs an activation and a time embedding, got null");
    }
    Conditioning.checkProbability("ResidualMlp dropout", dropout);
    Conditioning.checkNonNegative("ResidualMlp conditionDim", conditionDim);
  }

  /** This configuration conditioned on a parameter vector of size {@code p}. */
  public ResidualMlpConfig withConditionDim(int p) {
    return new ResidualMlpConfig(dataDim, width, depth, activation, dropout, timeEmbedding, p);
  }

  @Override
  public ResidualMlp create(long seed) {
    return new ResidualMlp(this, seed);
  }
}
