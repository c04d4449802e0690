package org.sbgm.config;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.sbgm.nn.NetworkConfig;

/**
 * The score network, chosen by {@code type}: {@code mlp}, {@code residual-mlp} (vector data) or
 * {@code unet}, {@code dit}, {@code mixer} (images), or {@code torchscript} (a module written in PyTorch,
 * {@link TorchScriptSpec}). The data shape and the condition size are not part of it: they come from
 * the data ({@link #toCore}).
 *
 * <p>Every type takes {@code init}: a weight file ({@code .safetensors} or {@code .npz}, e.g. one that
 * {@code sbgm export} wrote or Python saved from the same architecture) whose tensors replace the random
 * initialisation before training; every name, shape and dtype is checked
 * ({@link org.sbgm.nn.StateDict#load}). Relative paths are resolved against the configuration's folder.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MlpSpec.class, name = "mlp"),
    @JsonSubTypes.Type(value = ResidualMlpSpec.class, name = "residual-mlp"),
    @JsonSubTypes.Type(value = UNetSpec.class, name = "unet"),
    @JsonSubTypes.Type(value = DiTSpec.class, name = "dit"),
    @JsonSubTypes.Type(value = MixerSpec.class, name = "mixer"),
    @JsonSubTypes.Type(value = TorchScriptSpec.class, name = "torchscript")})
public sealed interface NetworkSpec permits MlpSpec, ResidualMlpSpec, UNetSpec, DiTSpec, MixerSpec, TorchScriptSpec {
  /** The type names, as written in a config. */
  List<String> TYPES = List.of("mlp", "residual-mlp", "unet", "dit", "mixer", "torchscript");

  /**
   * The core network configuration for samples shaped {@code sampleShape} (without the batch
   * dimension), a parameter condition of {@code conditionDim} values (0 = none) and an image condition
   * whose samples are shaped {@code imageShape} (null = none): {@code [C', H', W']} for image networks, any
   * shape (flattened) for vector networks.
   *
   * @throws org.sbgm.InvalidInputException when the network cannot take the data or the condition
   */
  NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape);

  /** {@link #toCore(long[], int, long[])} without an image condition. */
  default NetworkConfig toCore(long[] sampleShape, int conditionDim) {
    return toCore(sampleShape, conditionDim, null);
  }

  /** The probability of dropping a sample's condition in training (classifier-free guidance), in [0, 1). */
  Double conditionDropout();

  /** The type name. */
  String typeName();

  /** The weight file training starts from ({@code .safetensors} or {@code .npz}), or null for a random start. */
  String init();

  /** This spec with {@code file} as its {@code init} (null for none). */
  NetworkSpec withInit(String file);

  /** This spec with its relative file paths resolved against {@code base} (made absolute). */
  default NetworkSpec resolvedAgainst(Path base) {
    return init() == null ? this : withInit(resolve(base, init()));
  }

  /** {@code path}, made absolute against {@code base} when it is relative. */
  static String resolve(Path base, String path) {
    Path p = Path.of(path);
    return (p.isAbsolute() || base == null ? p : base.resolve(p)).toAbsolutePath().normalize().toString();
  }

  /** Checks an {@code init} value: absent, or a .safetensors or .npz file name. */
  static String checkInit(String init) {
    if (init == null) {
      return null;
    }
    String lower = init.toLowerCase(java.util.Locale.ROOT);
    if (init.isBlank() || !(lower.endsWith(".safetensors") || lower.endsWith(".npz"))) {
      throw new InvalidInputException("init must name a .safetensors or .npz weight file, got '" + init + "'");
    }
    return init;
  }

  /** D for vector networks; throws unless the samples are vectors. */
  static int vectorDim(String type, long[] shape) {
    if (shape.length != 1) {
      throw new InvalidInputException("network type " + type + " needs vector data [N, D], but each sample has shape "
          + Arrays.toString(shape) + "; use unet, dit or mixer for images");
    }
    return Math.toIntExact(shape[0]);
  }

  /** D' of an image condition for a vector network: the values of one y (0 when there is none). */
  static int flattenedImage(long[] imageShape) {
    if (imageShape == null) {
      return 0;
    }
    long d = 1;
    for (long s : imageShape) {
      d *= s;
    }
    return Math.toIntExact(d);
  }

  /** C' of an image condition for an image network (0 when there is none); throws unless y is [C', H', W']. */
  static int imageChannels(String type, long[] imageShape) {
    if (imageShape == null) {
      return 0;
    }
    if (imageShape.length != 3) {
      throw new InvalidInputException("network type " + type + " takes an image condition of shape [N, C', H', W'] (or [N, H', W']), "
          + "but each condition has shape " + Arrays.toString(imageShape) + "; use mlp or residual-mlp for a vector condition");
    }
    return Math.toIntExact(imageShape[0]);
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
