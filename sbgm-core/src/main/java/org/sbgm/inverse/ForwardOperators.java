package org.sbgm.inverse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npy;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The one parser of operator names: {@code mask:FILE.npy} (a 0/1 mask shaped like one sample; for
 * single-channel images [H, W] also fits [1, H, W]), {@code blur:SIGMA} (pixels), {@code downsample:K}
 * and {@code matrix:FILE.npy} (a [D_y, D] matrix on the flattened sample). Relative files are resolved
 * against {@code base}.
 */
public final class ForwardOperators {
  /** The operator kinds. */
  public static final java.util.List<String> KINDS = java.util.List.of("mask", "blur", "downsample", "matrix");

  private ForwardOperators() {}

  /**
   * The operator {@code spec} for samples shaped {@code shape}.
   *
   * @throws InvalidInputException naming the spec when it is malformed, a file is missing or unreadable, or
   *     the operator does not fit the shape
   */
  public static ForwardOperator parse(String spec, long[] shape, Path base) {
    String text = spec == null ? "" : spec.trim();
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text.toLowerCase(Locale.ROOT) : text.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = colon < 0 ? "" : text.substring(colon + 1).trim();
    if (!KINDS.contains(kind) || value.isEmpty()) {
      throw new InvalidInputException("the operator must be mask:FILE.npy, blur:SIGMA, downsample:K or matrix:FILE.npy, got '"
          + spec + "'");
    }
    return switch (kind) {
      case "mask" -> {
        Tensor m = read(value, base, "mask");
        if (Arrays.equals(Torch.shape(m), shape)) {
          yield new Mask(m);
        }
        if (shape.length == 3 && shape[0] == 1 && Arrays.equals(Torch.shape(m), new long[] {shape[1], shape[2]})) {
          yield new Mask(m.reshape(shape));
        }
        throw new InvalidInputException("the mask " + value + " has shape " + Arrays.toString(Torch.shape(m))
            + ", but the model's samples have shape " + Arrays.toString(shape));
      }
      case "blur" -> new GaussianBlur(shape, number(value, spec));
      case "downsample" -> {
        double k = number(value, spec);
        if (k != Math.rint(k)) {
          throw new InvalidInputException("downsample:K needs a whole factor K, got '" + value + "'");
        }
        yield new Downsample(shape, (int) k);
      }
      default -> new DenseMatrix(read(value, base, "matrix"), shape);
    };
  }

  private static double number(String value, String spec) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("the operator '" + spec + "' needs a number after the colon, got '" + value + "'");
    }
  }

  private static Tensor read(String file, Path base, String what) {
    Path path = base == null ? Path.of(file) : base.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("the " + what + " file '" + path + "' does not exist");
    }
    try {
      return Npy.readTensor(path, DType.FLOAT64);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read the " + what + " file '" + path + "': " + e.getMessage(), e);
    }
  }
}
