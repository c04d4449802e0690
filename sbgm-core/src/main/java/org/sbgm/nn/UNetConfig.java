package org.sbgm.nn;

import java.util.List;
import org.sbgm.InvalidInputException;

/**
 * A DDPM-style U-Net for images {@code [B, C, H, W]} (Ho et al. 2020, arXiv 2006.11239).
 *
 * @param inChannels C, the channels of x and of the output
 * @param baseChannels the channels after the input convolution; also the time embedding's input width,
 *     and 4 × baseChannels is the width of the time MLP
 * @param channelMultipliers level i has baseChannels × multiplier[i] channels; there is one stride-2
 *     downsampling between consecutive levels
 * @param resBlocksPerLevel residual blocks per level on the way down and as many on the way up
 * @param attentionLevels the level indices (0 = full resolution) whose residual blocks are each followed by
 *     self-attention, in both directions (the levels, not pixel sizes, so the config does not depend on H, W)
 * @param middleAttention self-attention between the two middle residual blocks
 * @param attentionHeads heads of every attention layer (channels at those levels must be a multiple)
 * @param dropout dropout probability inside residual blocks, in [0, 1)
 * @param groups GroupNorm group count (every channel count in the network must be a multiple)
 * @param timeEmbedding how t is embedded before the time MLP
 * @param conditionDim P, the parameter condition π (0 = none), embedded by Linear-SiLU-Linear and added to the time embedding
 * @param conditionImageChannels C', the image condition y concatenated to x at the input (0 = none)
 * @param conditionDropout in training mode, the probability that a sample's condition (π and y) is
 *     replaced by zeros (classifier-free guidance training), in [0, 1)
 */
public record UNetConfig(int inChannels, int baseChannels, List<Integer> channelMultipliers, int resBlocksPerLevel,
    List<Integer> attentionLevels, boolean middleAttention, int attentionHeads, double dropout, int groups,
    TimeEmbeddingConfig timeEmbedding, int conditionDim, int conditionImageChannels, double conditionDropout)
    implements NetworkConfig {
  /** Validates the fields. */
  public UNetConfig {
    if (inChannels < 1 || baseChannels < 1 || resBlocksPerLevel < 1 || attentionHeads < 1 || groups < 1) {
      throw new InvalidInputException("UNet needs inChannels, baseChannels, resBlocksPerLevel, attentionHeads and "
          + "groups of at least 1, got " + inChannels + ", " + baseChannels + ", " + resBlocksPerLevel + ", "
          + attentionHeads + ", " + groups);
    }
    channelMultipliers = List.copyOf(channelMultipliers);
    attentionLevels = List.copyOf(attentionLevels);
    if (channelMultipliers.isEmpty() || channelMultipliers.stream().anyMatch(m -> m < 1)) {
      throw new InvalidInputException("UNet channelMultipliers must be a non-empty list of positive integers, got "
          + channelMultipliers);
    }
    for (int level : attentionLevels) {
      if (level < 0 || level >= channelMultipliers.size()) {
        throw new InvalidInputException("UNet attention level " + level + " is not a level index in [0, "
            + channelMultipliers.size() + ")");
      }
    }
    if (timeEmbedding == null) {
      throw new InvalidInputException("UNet needs a time embedding, got null");
    }
    Conditioning.checkProbability("UNet dropout", dropout);
    Conditioning.checkProbability("UNet conditionDropout", conditionDropout);
    Conditioning.checkNonNegative("UNet conditionDim", conditionDim);
    Conditioning.checkNonNegative("UNet conditionImageChannels", conditionImageChannels);
  }

  /**
   * The project's benchmark U-Net for 1×28×28 images (the one {@code sbgm bench} times against
   * PyTorch): 32 base channels, levels at 28×28, 14×14 and 7×7 with 32, 64 and 64 channels (multipliers
   * 1, 2, 2), one residual block per level on the way down and one on the way up, single-head
   * self-attention only between the two middle blocks (at 7×7), GroupNorm with 8 groups, no dropout,
   * and a sinusoidal time embedding of dimension 32 fed to a 128-wide time MLP; 793,697 parameters.
   */
  public static UNetConfig reference() {
    return new UNetConfig(1, 32, List.of(1, 2, 2), 1, List.of(), true, 1, 0.0, 8,
        TimeEmbeddingConfig.sinusoidal(32), 0, 0, 0.0);
  }

  /** Width of the time MLP: 4 × baseChannels. */
  public int timeWidth() {
    return 4 * baseChannels;
  }

  /** This configuration with a parameter condition of size {@code p}. */
  public UNetConfig withConditionDim(int p) {
    return new UNetConfig(inChannels, baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels,
        middleAttention, attentionHeads, dropout, groups, timeEmbedding, p, conditionImageChannels, conditionDropout);
  }

  /** This configuration with an image condition of {@code channels} channels. */
  public UNetConfig withConditionImageChannels(int channels) {
    return new UNetConfig(inChannels, baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels,
        middleAttention, attentionHeads, dropout, groups, timeEmbedding, conditionDim, channels, conditionDropout);
  }

  /** This configuration with condition dropout probability {@code p}. */
  public UNetConfig withConditionDropout(double p) {
    return new UNetConfig(inChannels, baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels,
        middleAttention, attentionHeads, dropout, groups, timeEmbedding, conditionDim, conditionImageChannels, p);
  }

  /** This configuration with dropout probability {@code p} in the residual blocks. */
  public UNetConfig withDropout(double p) {
    return new UNetConfig(inChannels, baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels,
        middleAttention, attentionHeads, p, groups, timeEmbedding, conditionDim, conditionImageChannels, conditionDropout);
  }

  @Override
  public UNet create(long seed) {
    return new UNet(this, seed);
  }
}
