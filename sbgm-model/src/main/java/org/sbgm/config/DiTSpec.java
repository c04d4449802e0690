package org.sbgm.config;

import org.sbgm.InvalidInputException;
import org.sbgm.nn.DiTConfig;
import org.sbgm.nn.NetworkConfig;

/**
 * A diffusion transformer ({@link DiTConfig}) over {@code patchSize}² patches: {@code depth} blocks of
 * width {@code hidden} with {@code heads} heads; sinusoidal time embedding of {@code hidden} features by
 * default.
 */
public record DiTSpec(Integer patchSize, Integer hidden, Integer depth, Integer heads, Double mlpRatio,
    Boolean learnedPositions, TimeEmbeddingSpec timeEmbedding, Double conditionDropout, String init)
    implements NetworkSpec {
  public DiTSpec {
    patchSize = Checks.atLeast("patchSize", Checks.or(patchSize, 4), 1);
    hidden = Checks.atLeast("hidden", Checks.or(hidden, 64), 1);
    depth = Checks.atLeast("depth", Checks.or(depth, 4), 1);
    heads = Checks.atLeast("heads", Checks.or(heads, 4), 1);
    if (hidden % heads != 0) {
      throw new InvalidInputException("hidden must be a multiple of heads (" + heads + "), got " + hidden);
    }
    mlpRatio = Checks.positive("mlpRatio", Checks.or(mlpRatio, 4.0));
    learnedPositions = Checks.or(learnedPositions, false);
    if (!learnedPositions && hidden % 4 != 0) {
      throw new InvalidInputException("hidden must be a multiple of 4 for fixed sin-cos positions, got " + hidden);
    }
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.sinusoidal(hidden % 2 == 0 ? hidden : hidden + 1));
    conditionDropout = Checks.inHalfOpen("conditionDropout", Checks.or(conditionDropout, 0.0), 0, 1);
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    int[] chw = NetworkSpec.imageShape("dit", sampleShape);
    if (chw[1] % patchSize != 0 || chw[2] % patchSize != 0) {
      throw new InvalidInputException("network.patchSize (" + patchSize + ") must divide the image height and width, got "
          + chw[1] + "x" + chw[2]);
    }
    return new DiTConfig(chw[0], chw[1], chw[2], patchSize, hidden, depth, heads, mlpRatio, learnedPositions,
        timeEmbedding.toCore(), conditionDim, NetworkSpec.imageChannels("dit", imageShape), conditionDropout);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new DiTSpec(patchSize, hidden, depth, heads, mlpRatio, learnedPositions, timeEmbedding, conditionDropout, file);
  }

  @Override
  public String typeName() {
    return "dit";
  }
}
