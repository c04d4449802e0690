package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * An MLP-Mixer (Tolstikhin et al. 2021, arXiv 2105.01601) for images, as sbgm's {@code Mixer2d}.
 *
 * @param inChannels C, the channels of x and of the output
 * @param height H, the image height the network is built for
 * @param width W, the image width
 * @param patchSize p, which must divide H and W; there are N = (H/p)(W/p) patches (tokens)
 * @param hidden the channel width of each token
 * @param tokenMlpDim the hidden width of the token-mixing MLP (N -> tokenMlpDim -> N)
 * @param channelMlpDim the hidden width of the channel-mixing MLP (hidden -> channelMlpDim -> hidden)
 * @param depth the number of mixer blocks
 * @param timeEmbedding how t is embedded (its dim is also the width of the conditioning context)
 * @param conditionDim P, the parameter condition π (0 = none), embedded linearly into the context
 * @param conditionImageChannels C', the image condition y concatenated to x before patchifying (0 = none)
 * @param conditionDropout in training mode, the probability a sample's condition is dropped (classifier-free
 *     guidance training), in [0, 1)
 */
public record MlpMixerConfig(int inChannels, int height, int width, int patchSize, int hidden, int tokenMlpDim,
    int channelMlpDim, int depth, TimeEmbeddingConfig timeEmbedding, int conditionDim, int conditionImageChannels,
    double conditionDropout) implements NetworkConfig {
  /** Validates the fields. */
  public MlpMixerConfig {
    if (inChannels < 1 || height < 1 || width < 1 || patchSize < 1 || hidden < 1 || tokenMlpDim < 1
        || channelMlpDim < 1 || depth < 1) {
      throw new InvalidInputException("MlpMixer needs every size to be at least 1, got inChannels " + inChannels
          + ", height " + height + ", width " + width + ", patchSize " + patchSize + ", hidden " + hidden
          + ", tokenMlpDim " + tokenMlpDim + ", channelMlpDim " + channelMlpDim + ", depth " + depth);
    }
    if (height % patchSize != 0 || width % patchSize != 0) {
      throw new InvalidInputException("MlpMixer patch size " + patchSize + " must divide the image height " + height
          + " and width " + width);
    }
    if (timeEmbedding == null) {
      throw new InvalidInputException("MlpMixer needs a time embedding, got null");
    }
    Conditioning.checkNonNegative("MlpMixer conditionDim", conditionDim);
    Conditioning.checkNonNegative("MlpMixer conditionImageChannels", conditionImageChannels);
    Conditioning.checkProbability("MlpMixer conditionDropout", conditionDropout);
  }

  /** A mixer without condition dropout. */
  public MlpMixerConfig(int inChannels, int height, int width, int patchSize, int hidden, int tokenMlpDim,
      int channelMlpDim, int depth, TimeEmbeddingConfig timeEmbedding, int conditionDim, int conditionImageChannels) {
    this(inChannels, height, width, patchSize, hidden, tokenMlpDim, channelMlpDim, depth, timeEmbedding, conditionDim,
        conditionImageChannels, 0.0);
  }

  /** This configuration with a parameter condition of size {@code p} and an image condition of {@code channels}. */
  public MlpMixerConfig withConditions(int p, int channels) {
    return new MlpMixerConfig(inChannels, height, width, patchSize, hidden, tokenMlpDim, channelMlpDim, depth,
        timeEmbedding, p, channels, conditionDropout);
  }

  /** This configuration with condition dropout probability {@code p}. */
  public MlpMixerConfig withConditionDropout(double p) {
    return new MlpMixerConfig(inChannels, height, width, patchSize, hidden, tokenMlpDim, channelMlpDim, depth,
        timeEmbedding, conditionDim, conditionImageChannels, p);
  }

  /** The number of patches N = (H/p)(W/p). */
  public int tokens() {
    return (height / patchSize) * (width / patchSize);
  }

  @Override
  public MlpMixer create(long seed) {
    return new MlpMixer(this, seed);
  }
}
