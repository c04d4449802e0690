package org.sbgm.config;

import org.sbgm.InvalidInputException;
import org.sbgm.nn.MlpMixerConfig;
import org.sbgm.nn.NetworkConfig;

/** An MLP-Mixer ({@link MlpMixerConfig}) over {@code patchSize}² patches. */
public record MixerSpec(Integer patchSize, Integer hidden, Integer tokenMlpDim, Integer channelMlpDim, Integer depth,
    TimeEmbeddingSpec timeEmbedding, Double conditionDropout, String init) implements NetworkSpec {
  public MixerSpec {
    patchSize = Checks.atLeast("patchSize", Checks.or(patchSize, 4), 1);
    hidden = Checks.atLeast("hidden", Checks.or(hidden, 64), 1);
    tokenMlpDim = Checks.atLeast("tokenMlpDim", Checks.or(tokenMlpDim, 128), 1);
    channelMlpDim = Checks.atLeast("channelMlpDim", Checks.or(channelMlpDim, 128), 1);
    depth = Checks.atLeast("depth", Checks.or(depth, 4), 1);
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.sinusoidal(64));
    conditionDropout = Checks.inHalfOpen("conditionDropout", Checks.or(conditionDropout, 0.0), 0, 1);
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    int[] chw = NetworkSpec.imageShape("mixer", sampleShape);
    if (chw[1] % patchSize != 0 || chw[2] % patchSize != 0) {
      throw new InvalidInputException("network.patchSize (" + patchSize + ") must divide the image height and width, got "
          + chw[1] + "x" + chw[2]);
    }
    return new MlpMixerConfig(chw[0], chw[1], chw[2], patchSize, hidden, tokenMlpDim, channelMlpDim, depth,
        timeEmbedding.toCore(), conditionDim, NetworkSpec.imageChannels("mixer", imageShape), conditionDropout);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new MixerSpec(patchSize, hidden, tokenMlpDim, channelMlpDim, depth, timeEmbedding, conditionDropout, file);
  }

  @Override
  public String typeName() {
    return "mixer";
  }
}
