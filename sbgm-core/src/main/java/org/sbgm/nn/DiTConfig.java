package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * A diffusion transformer (DiT; Peebles and Xie 2023, arXiv 2212.09748) for images {@code [B, C, H, W]}.
 *
 * @param inChannels C, the channels of x and of the output
 * @param height H, the image height the network is built for
 * @param width W, the image width
 * @param patchSize p, which must divide H and W; there are N = (H/p)(W/p) tokens
 * @param hidden the token width (a multiple of heads; of 4 when positions are fixed)
 * @param depth the number of transformer blocks
 * @param heads attention heads
 * @param mlpRatio the MLP hidden width as a multiple of {@code hidden}
 * @param learnedPositions learned positional embedding (N(0, 0.02²) initialised) instead of the fixed 2-D sin-cos one
 * @param timeEmbedding how t is embedded before the time MLP (DiT uses sinusoidal(256))
 * @param conditionDim P, the parameter condition π (0 = none), embedded by an MLP and added to the time embedding
 * @param conditionImageChannels C', the image condition y concatenated to x before patchifying (0 = none)
 * @param conditionDropout in training mode, the probability a sample's condition is replaced by zeros, in [0, 1)
 */
public record DiTConfig(int inChannels, int height, int width, int patchSize, int hidden, int depth, int heads,
    double mlpRatio, boolean learnedPositions, TimeEmbeddingConfig timeEmbedding, int conditionDim,
    int conditionImageChannels, double conditionDropout) implements NetworkConfig {
  /** Validates the fields. */
  public DiTConfig {
    if (inChannels < 1 || height < 1 || width < 1 || patchSize < 1 || hidden < 1 || depth < 1 || heads < 1) {
      throw new InvalidInputException("DiT needs inChannels, height, width, patchSize, hidden, depth and heads of "
          + "at least 1, got " + inChannels + ", " + height + ", " + width + ", " + patchSize + ", " + hidden + ", "
          + depth + ", " + heads);
    }
    if (height % patchSize != 0 || width % patchSize != 0) {
      throw new InvalidInputException("DiT patch size " + patchSize + " must divide the image height " + height
          + " and width " + width);
    }
    if (hidden % heads != 0) {
      throw new InvalidInputException("DiT hidden width " + hidden + " must be a multiple of the head count " + heads);
    }
    if (!learnedPositions && hidden % 4 != 0) {
      throw new InvalidInputException(
          "DiT hidden width " + hidden + " must be a multiple of 4 for the fixed 2-D sin-cos positional embedding");
    }
    if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio)) {
      throw new InvalidInputException("DiT mlpRatio must be positive, got " + mlpRatio);
    }
    if (timeEmbedding == null) {
      throw new InvalidInputException("DiT needs a time embedding, got null");
    }
    Conditioning.checkNonNegative("DiT conditionDim", conditionDim);
    Conditioning.checkNonNegative("DiT conditionImageChannels", conditionImageChannels);
    Conditioning.checkProbability("DiT conditionDropout", conditionDropout);
  }

  /** A small DiT: sinusoidal(hidden) time embedding, fixed positions, MLP ratio 4, no condition. */
  public static DiTConfig of(int inChannels, int height, int width, int patchSize, int hidden, int depth, int heads) {
    return new DiTConfig(inChannels, height, width, patchSize, hidden, depth, heads, 4.0, false,
        TimeEmbeddingConfig.sinusoidal(hidden), 0, 0, 0.0);
  }

  /** This configuration with a parameter condition of size {@code p} and an image condition of {@code channels}. */
  public DiTConfig withConditions(int p, int channels) {
    return new DiTConfig(inChannels, height, width, patchSize, hidden, depth, heads, mlpRatio, learnedPositions,
        timeEmbedding, p, channels, conditionDropout);
  }

  /** This configuration with condition dropout probability {@code p}. */
  public DiTConfig withConditionDropout(double p) {
    return new DiTConfig(inChannels, height, width, patchSize, hidden, depth, heads, mlpRatio, learnedPositions,
        timeEmbedding, conditionDim, conditionImageChannels, p);
  }

  /** The number of tokens N = (H/p)(W/p). */
  public int tokens() {
    return (height / patchSize) * (width / patchSize);
  }

  /** The MLP hidden width, round(mlpRatio × hidden). */
  public int mlpWidth() {
    return (int) Math.round(mlpRatio * hidden);
  }

  @Override
  public DiT create(long seed) {
    return new DiT(this, seed);
  }
}
