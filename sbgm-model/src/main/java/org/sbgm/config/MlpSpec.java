package org.sbgm.config;

import org.sbgm.nn.Activation;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.NetworkConfig;

/** A plain MLP ({@link MlpConfig}): {@code depth} hidden layers of {@code width} with {@code activation}. */
public record MlpSpec(Integer width, Integer depth, String activation, TimeEmbeddingSpec timeEmbedding,
    String init) implements NetworkSpec {
  public MlpSpec {
    width = Checks.atLeast("width", Checks.or(width, 256), 1);
    depth = Checks.atLeast("depth", Checks.or(depth, 3), 1);
    activation = Activation.parse(Checks.or(activation, "silu")).name().toLowerCase(java.util.Locale.ROOT);
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.fourier(32));
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim) {
    return new MlpConfig(NetworkSpec.vectorDim("mlp", sampleShape), width, depth, Activation.parse(activation),
        timeEmbedding.toCore(), conditionDim);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new MlpSpec(width, depth, activation, timeEmbedding, file);
  }

  @Override
  public String typeName() {
    return "mlp";
  }
}
