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
 * @param conditionDim P, the size of the parameter condition π (0 = none)
 * @param conditionImageDim D', the number of values of an image condition y, flattened (0 = none); [π, y] (and
 *     the keep flag with condition dropout) is embedded linearly and added to the time embedding
 * @param conditionDropout in training mode, the probability a sample's condition is dropped, in [0, 1)
 */
public record ResidualMlpConfig(int dataDim, int width, int depth, Activation activation, double dropout,
    TimeEmbeddingConfig timeEmbedding, int conditionDim, int conditionImageDim, double conditionDropout)
    implements NetworkConfig {
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
    Conditioning.checkNonNegative("ResidualMlp conditionImageDim", conditionImageDim);
    Conditioning.checkProbability("ResidualMlp conditionDropout", conditionDropout);
  }

  /** A residual MLP conditioned on π only (or nothing), without condition dropout. */
  public ResidualMlpConfig(int dataDim, int width, int depth, Activation activation, double dropout,
      TimeEmbeddingConfig timeEmbedding, int conditionDim) {
    this(dataDim, width, depth, activation, dropout, timeEmbedding, conditionDim, 0, 0.0);
  }

  /** The width of the condition vector: P + D' and the keep flag when there is condition dropout. */
  public int conditionWidth() {
    return conditionDim + conditionImageDim == 0 ? 0 : conditionDim + conditionImageDim + Conditioning.flag(conditionDropout);
  }

  /** This configuration conditioned on a parameter vector of size {@code p}. */
  public ResidualMlpConfig withConditionDim(int p) {
    return new ResidualMlpConfig(dataDim, width, depth, activation, dropout, timeEmbedding, p, conditionImageDim,
        conditionDropout);
  }

  /** This configuration conditioned on an image of {@code d} values (flattened). */
  public ResidualMlpConfig withConditionImageDim(int d) {
    return new ResidualMlpConfig(dataDim, width, depth, activation, dropout, timeEmbedding, conditionDim, d,
        conditionDropout);
  }

  /** This configuration with condition dropout probability {@code p}. */
  public ResidualMlpConfig withConditionDropout(double p) {
    return new ResidualMlpConfig(dataDim, width, depth, activation, dropout, timeEmbedding, conditionDim,
        conditionImageDim, p);
  }

  @Override
  public ResidualMlp create(long seed) {
    return new ResidualMlp(this, seed);
  }
}
