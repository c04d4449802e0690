package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * A plain multilayer perceptron for vector data x ∈ ℝ^D.
 *
 * @param dataDim D, the size of x and of the output
 * @param width the hidden width
 * @param depth the number of hidden layers (≥ 1): Linear(D + E + P + D' (+ 1), width), then depth - 1 times
 *     Linear(width, width), each followed by the activation, then Linear(width, D)
 * @param activation the nonlinearity
 * @param timeEmbedding how t is embedded (E = its dim)
 * @param conditionDim P, the size of the parameter condition π concatenated to the input (0 = none)
 * @param conditionImageDim D', the number of values of an image condition y, flattened and concatenated to the
 *     input (0 = none)
 * @param conditionDropout in training mode, the probability a sample's condition is dropped (classifier-free
 *     guidance training), in [0, 1); when positive the input also holds the keep flag (the + 1)
 */
public record MlpConfig(int dataDim, int width, int depth, Activation activation, TimeEmbeddingConfig timeEmbedding,
    int conditionDim, int conditionImageDim, double conditionDropout) implements NetworkConfig {
  /** Validates the fields. */
  public MlpConfig {
    if (dataDim < 1 || width < 1 || depth < 1) {
      throw new InvalidInputException(
          "Mlp needs dataDim, width and depth of at least 1, got " + dataDim + ", " + width + ", " + depth);
    }
    if (activation == null || timeEmbedding == null) {
      throw new InvalidInputException("Mlp needs an activation and a time embedding, got null");
    }
    Conditioning.checkNonNegative("Mlp conditionDim", conditionDim);
    Conditioning.checkNonNegative("Mlp conditionImageDim", conditionImageDim);
    Conditioning.checkProbability("Mlp conditionDropout", conditionDropout);
  }

  /** An MLP conditioned on π only (or nothing), without condition dropout. */
  public MlpConfig(int dataDim, int width, int depth, Activation activation, TimeEmbeddingConfig timeEmbedding,
      int conditionDim) {
    this(dataDim, width, depth, activation, timeEmbedding, conditionDim, 0, 0.0);
  }

  /** The width of the condition part of the input: P + D' and the keep flag when there is condition dropout. */
  public int conditionWidth() {
    return conditionDim + conditionImageDim == 0 ? 0 : conditionDim + conditionImageDim + Conditioning.flag(conditionDropout);
  }

  /**
   * The project's benchmark MLP for 2-D data (the one {@code sbgm bench} times against PyTorch, and
   * {@code sbgm demo} trains): the input [x, e(t)] of size 2 + 32 (16 Gaussian Fourier frequencies of
   * scale 16, each giving a sine and a cosine), three hidden layers of width 256 with SiLU, and a
   * linear output of size 2; 141,058 parameters (34·256 + 256 + 2·(256·256 + 256) + 256·2 + 2).
   */
  public static MlpConfig reference() {
    return new MlpConfig(2, 256, 3, Activation.SILU, TimeEmbeddingConfig.fourier(16, 16.0), 0);
  }

  /** This configuration conditioned on a parameter vector of size {@code p}. */
  public MlpConfig withConditionDim(int p) {
    return new MlpConfig(dataDim, width, depth, activation, timeEmbedding, p, conditionImageDim, conditionDropout);
  }

  /** This configuration conditioned on an image of {@code d} values (flattened). */
  public MlpConfig withConditionImageDim(int d) {
    return new MlpConfig(dataDim, width, depth, activation, timeEmbedding, conditionDim, d, conditionDropout);
  }

  /** This configuration with condition dropout probability {@code p}. */
  public MlpConfig withConditionDropout(double p) {
    return new MlpConfig(dataDim, width, depth, activation, timeEmbedding, conditionDim, conditionImageDim, p);
  }

  @Override
  public Mlp create(long seed) {
    return new Mlp(this, seed);
  }
}
