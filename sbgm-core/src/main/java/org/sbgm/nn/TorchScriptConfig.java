package org.sbgm.nn;

import java.nio.file.Path;
import java.util.List;
import org.sbgm.InvalidInputException;

/**
 * A TorchScript module from a file, for samples of {@code sampleShape} and a condition of
 * {@code conditionDim} parameters and {@code conditionImageChannels} image channels (0 = none).
 * {@link #create} loads it and checks it against these ({@link TorchScriptNetwork#check}); the seed is not
 * used, since the module's weights come with the file.
 *
 * @param file the module, written by {@code torch.jit.save} (or {@code ScriptModule.save})
 * @param sampleShape the shape of one sample, without the batch dimension
 * @param conditionDim P, the number of condition parameters π
 * @param conditionImageChannels the channels of the condition image y
 */
public record TorchScriptConfig(Path file, List<Long> sampleShape, int conditionDim, int conditionImageChannels)
    implements NetworkConfig {
  /** Validates the fields. */
  public TorchScriptConfig {
    if (file == null) {
      throw new InvalidInputException("a TorchScript network needs the path of its module file, got none");
    }
    if (sampleShape == null || sampleShape.isEmpty() || sampleShape.stream().anyMatch(s -> s == null || s < 1)) {
      throw new InvalidInputException("a TorchScript network needs a sample shape of positive sizes, got " + sampleShape);
    }
    sampleShape = List.copyOf(sampleShape);
    Conditioning.checkNonNegative("TorchScript conditionDim", conditionDim);
    Conditioning.checkNonNegative("TorchScript conditionImageChannels", conditionImageChannels);
  }

  @Override
  public TorchScriptNetwork create(long seed) {
    TorchScriptNetwork network = TorchScriptNetwork.load(file);
    network.check(sampleShape.stream().mapToLong(Long::longValue).toArray(), conditionDim, conditionImageChannels);
    return network;
  }
}
