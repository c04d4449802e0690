package org.sbgm.config;

import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.NetworkConfig;

/**
 * A plain MLP ({@link MlpConfig}): {@code depth} hidden layers of {@code width} with {@code activation}; an image
 * condition is flattened into its input; {@code conditionDropout} trains it for classifier-free guidance.
 */
public record MlpSpec(Integer width, Integer depth, String activation, TimeEmbeddingSpec timeEmbedding,
    Double conditionDropout, String init) implements NetworkSpec {
  public MlpSpec {
    width = Checks.atLeast("width", Checks.or(width, 256), 1);
    depth = Checks.atLeast("depth", Checks.or(depth, 3), 1);
    activation = Activation.parse(Checks.or(activation, "silu")).name().toLowerCase(java.util.Locale.ROOT);
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.fourier(32));
    conditionDropout = Checks.inHalfOpen("conditionDropout", Checks.or(conditionDropout, 0.0), 0, 1);
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    return new MlpConfig(NetworkSpec.vectorDim("mlp", sampleShape), width, depth, Activation.parse(activation),
        timeEmbedding.toCore(), conditionDim, NetworkSpec.flattenedImage(imageShape), conditionDropout);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new MlpSpec(width, depth, activation, timeEmbedding, conditionDropout, file);
  }

  @Override
  public String typeName() {
    return "mlp";
  }
}
