package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * A plain multilayer perceptron for vector data x ∈ ℝ^D.
 *
 * @param dataDim D, the size of x and of the output
 * @param width the hidden width
 * @param depth the number of hidden layers (≥ 1): Linear(D + E + P, width), then depth - 1 times
 *     Linear(width, width), each followed by the activation, then Linear(width, D)
 * @param activation the nonlinearity
 * @param timeEmbedding how t is embedded (E = its dim)
 * @param conditionDim P, the size of the parameter condition π concatenated to the input (0 = none)
 */
public record MlpConfig(int dataDim, int width, int depth, Activation activation, TimeEmbeddingConfig timeEmbedding,
    int conditionDim) implements NetworkConfig {
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
    return new MlpConfig(dataDim, width, depth, activation, timeEmbedding, p);
  }

  @Override
  public Mlp create(long seed) {
    return new Mlp(this, seed);
  }
}
