package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.util.List;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.UNetConfig;

/**
 * A DDPM-style U-Net ({@link UNetConfig}); defaults are the reference 1×28×28 network: 32 base
 * channels, multipliers [1, 2, 2], one residual block per level, attention in the middle only,
 * GroupNorm(8), sinusoidal time embedding of {@code baseChannels} features.
 */
public record UNetSpec(Integer baseChannels, List<Integer> channelMultipliers, Integer resBlocksPerLevel,
    List<Integer> attentionLevels, Boolean middleAttention, Integer attentionHeads, Double dropout, Integer groups,
    TimeEmbeddingSpec timeEmbedding, Double conditionDropout, String init) implements NetworkSpec {
  public UNetSpec {
    baseChannels = Checks.atLeast("baseChannels", Checks.or(baseChannels, 32), 1);
    channelMultipliers = List.copyOf(Checks.or(channelMultipliers, List.of(1, 2, 2)));
    if (channelMultipliers.isEmpty() || channelMultipliers.stream().anyMatch(m -> m == null || m < 1)) {
      throw new InvalidInputException("channelMultipliers must be a non-empty list of positive integers, got "
          + channelMultipliers);
    }
    resBlocksPerLevel = Checks.atLeast("resBlocksPerLevel", Checks.or(resBlocksPerLevel, 1), 1);
    attentionLevels = List.copyOf(Checks.or(attentionLevels, List.<Integer>of()));
    for (Integer level : attentionLevels) {
      if (level == null || level < 0 || level >= channelMultipliers.size()) {
        throw new InvalidInputException("attentionLevels must hold level indices in [0, " + channelMultipliers.size()
            + "), got " + attentionLevels);
      }
    }
    middleAttention = Checks.or(middleAttention, true);
    attentionHeads = Checks.atLeast("attentionHeads", Checks.or(attentionHeads, 1), 1);
    dropout = Checks.inHalfOpen("dropout", Checks.or(dropout, 0.0), 0, 1);
    groups = Checks.atLeast("groups", Checks.or(groups, 8), 1);
    for (int m : channelMultipliers) {
      if ((baseChannels * m) % groups != 0) {
        throw new InvalidInputException("groups (" + groups + ") must divide every level's channel count, but "
            + baseChannels + " x " + m + " = " + baseChannels * m + " is not a multiple");
      }
    }
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.sinusoidal(baseChannels % 2 == 0 ? baseChannels : baseChannels + 1));
    conditionDropout = Checks.inHalfOpen("conditionDropout", Checks.or(conditionDropout, 0.0), 0, 1);
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    int[] chw = NetworkSpec.imageShape("unet", sampleShape);
    int factor = 1 << (channelMultipliers.size() - 1);
    if (chw[1] % factor != 0 || chw[2] % factor != 0) {
      throw new InvalidInputException("a unet with " + channelMultipliers.size() + " levels halves the image "
          + (channelMultipliers.size() - 1) + " times, so the image height and width must be multiples of " + factor
          + ", got " + chw[1] + "x" + chw[2]);
    }
    return new UNetConfig(chw[0], baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels, middleAttention,
        attentionHeads, dropout, groups, timeEmbedding.toCore(), conditionDim, NetworkSpec.imageChannels("unet", imageShape), conditionDropout);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new UNetSpec(baseChannels, channelMultipliers, resBlocksPerLevel, attentionLevels, middleAttention,
        attentionHeads, dropout, groups, timeEmbedding, conditionDropout, file);
  }

  @Override
  public String typeName() {
    return "unet";
  }
}
