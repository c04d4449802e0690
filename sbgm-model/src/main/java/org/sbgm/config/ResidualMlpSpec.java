package org.sbgm.config;

import org.sbgm.nn.Activation;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.ResidualMlpConfig;

/** A residual MLP ({@link ResidualMlpConfig}): {@code depth} residual blocks of {@code width}. */
public record ResidualMlpSpec(Integer width, Integer depth, String activation, Double dropout,
    TimeEmbeddingSpec timeEmbedding, Double conditionDropout, String init) implements NetworkSpec {
  public ResidualMlpSpec {
    width = Checks.atLeast("width", Checks.or(width, 256), 1);
    depth = Checks.atLeast("depth", Checks.or(depth, 3), 1);
    activation = Activation.parse(Checks.or(activation, "silu")).name().toLowerCase(java.util.Locale.ROOT);
    dropout = Checks.inHalfOpen("dropout", Checks.or(dropout, 0.0), 0, 1);
    timeEmbedding = Checks.or(timeEmbedding, TimeEmbeddingSpec.fourier(32));
    conditionDropout = Checks.inHalfOpen("conditionDropout", Checks.or(conditionDropout, 0.0), 0, 1);
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    return new ResidualMlpConfig(NetworkSpec.vectorDim("residual-mlp", sampleShape), width, depth,
        Activation.parse(activation), dropout, timeEmbedding.toCore(), conditionDim, NetworkSpec.flattenedImage(imageShape),
        conditionDropout);
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new ResidualMlpSpec(width, depth, activation, dropout, timeEmbedding, conditionDropout, file);
  }

  @Override
  public String typeName() {
    return "residual-mlp";
  }
}
