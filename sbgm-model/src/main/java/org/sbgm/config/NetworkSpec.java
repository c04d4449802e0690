package org.sbgm.config;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.List;
import org.sbgm.nn.NetworkConfig;

/**
 * The score network, chosen by {@code type}: {@code mlp}, {@code residual-mlp} (vector data) or
 * {@code unet}, {@code dit}, {@code mixer} (images). The data shape and the condition size are not
 * part of it: they come from the data ({@link #toCore}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MlpSpec.class, name = "mlp"),
    @JsonSubTypes.Type(value = ResidualMlpSpec.class, name = "residual-mlp"),
    @JsonSubTypes.Type(value = UNetSpec.class, name = "unet"),
    @JsonSubTypes.Type(value = DiTSpec.class, name = "dit"),
    @JsonSubTypes.Type(value = MixerSpec.class, name = "mixer")})
public sealed interface NetworkSpec permits MlpSpec, ResidualMlpSpec, UNetSpec, DiTSpec, MixerSpec {
  /** The type names, as written in a config. */
  List<String> TYPES = List.of("mlp", "residual-mlp", "unet", "dit", "mixer");

  /**
   * The core network configuration for samples shaped {@code sampleShape} (without the batch
   * dimension) and a parameter condition of {@code conditionDim} values (0 = unconditional).
   */
  NetworkConfig toCore(long[] sampleShape, int conditionDim);

  /** The type name. */
  String typeName();

  /** D for vector networks; throws unless the samples are vectors. */
  static int vectorDim(String type, long[] shape) {
    if (shape.length != 1) {
      throw new InvalidInputException("network type " + type + " needs vector data [N, D], but each sample has shape "
          + Arrays.toString(shape) + "; use unet, dit or mixer for images");
    }
    return Math.toIntExact(shape[0]);
  }

  /** [C, H, W] for image networks; throws unless the samples are images. */
  static int[] imageShape(String type, long[] shape) {
    if (shape.length != 3) {
      throw new InvalidInputException("network type " + type + " needs image data [N, C, H, W], but each sample has shape "
          + Arrays.toString(shape) + "; use mlp or residual-mlp for vectors");
    }
    return new int[] {Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2])};
  }
}
