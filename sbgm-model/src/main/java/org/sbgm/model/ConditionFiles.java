package org.sbgm.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataFiles;
import org.sbgm.data.Datasets;
import org.sbgm.torch.Torch;

/**
 * Condition arrays as read from files, checked: parameters π {@code [N, P]} (a vector {@code [N]} is P = 1)
 * and image conditions y {@code [N, C', H, W]}, {@code [N, H, W]} (one channel) or {@code [N, D']} (vector
 * models), finite, with the expected number of rows. Every problem is one sentence naming the file, the
 * array and the shapes.
 */
public final class ConditionFiles {
  private ConditionFiles() {}

  /** The array of a .npy, .npz (its only array) or .csv file of conditions, as stored. */
  public static Tensor read(Path file, String what) {
    if (!Files.exists(file)) {
      throw new InvalidInputException(what + " file '" + file + "' does not exist");
    }
    DataFiles.Format format = DataFiles.detect(file);
    if (format != DataFiles.Format.NPY && format != DataFiles.Format.NPZ && format != DataFiles.Format.CSV) {
      throw new InvalidInputException(what + " file '" + file + "' is read as " + format.label() + "; expected a .npy, .npz "
          + "or .csv file with one row per sample");
    }
    return DataFiles.read(file, format, null);
  }

  /**
   * π as float32 {@code [rows, P]}.
   *
   * @param where the array, for messages (e.g. "parameter file 'p.npy'")
   * @param rows the number of rows expected, or -1 for any
   * @param against what the rows must match, for messages (e.g. "data file 'x.npy' holds 1000 samples")
   */
  public static Tensor parameters(Tensor raw, String where, long rows, String against) {
    long[] shape = Torch.shape(raw);
    if (shape.length < 1 || shape.length > 2) {
      throw new InvalidInputException(where + " holds an array of shape " + Arrays.toString(shape)
          + "; expected parameters [N, P] (or [N] for one parameter)");
    }
    Tensor p = (shape.length == 1 ? raw.unsqueeze(1) : raw).to(torch.ScalarType.Float).contiguous();
    checkRows(p, shape, where, rows, against);
    Datasets.requireFinite(p, where);
    return p;
  }

  /** y as {@code [rows, C', H, W]} or {@code [rows, D']}: uint8 kept for 8-bit images, float32 otherwise. */
  public static Tensor images(Tensor raw, String where, long rows, String against) {
    long[] shape = Torch.shape(raw);
    if (shape.length < 2 || shape.length > 4) {
      throw new InvalidInputException(where + " holds an array of shape " + Arrays.toString(shape)
          + "; expected image conditions [N, C', H, W] or [N, H, W], or [N, D'] for a vector model");
    }
    Tensor y = shape.length == 3 ? raw.unsqueeze(1) : raw;
    boolean eightBit = y.scalar_type().intern() == torch.ScalarType.Byte && y.dim() == 4;
    if (!eightBit) {
      y = y.to(torch.ScalarType.Float);
      Datasets.requireFinite(y, where);
    }
    checkRows(y, shape, where, rows, against);
    return y.contiguous();
  }

  /** Checks the rows of {@code t}, reported with the file's own {@code shape} (before a missing axis was added). */
  private static void checkRows(Tensor t, long[] shape, String where, long rows, String against) {
    if (t.size(0) < 1) {
      throw new InvalidInputException(where + " holds no rows");
    }
    if (rows >= 0 && t.size(0) != rows) {
      throw new InvalidInputException(where + " holds an array of shape " + Arrays.toString(shape) + ", but "
          + against + "; expected one row per sample");
    }
  }
}
