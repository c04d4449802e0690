package org.sbgm.model;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Conditions of a batch of samples. A condition given for a whole run has either one row (used for every
 * sample) or one row per sample; {@link #rows} cuts the rows of one batch out of it.
 */
public final class Conditions {
  private Conditions() {}

  /** π repeated for {@code rows} samples ({@link Condition#NONE} when {@code values} is null). */
  public static Condition repeat(double[] values, long rows, DType dtype) {
    if (values == null) {
      return Condition.NONE;
    }
    double[] all = new double[Math.toIntExact(rows * values.length)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, 0, all, r * values.length, values.length);
    }
    return Condition.ofParameters(Torch.tensor(all, dtype, rows, values.length));
  }

  /** The rows of {@code c}: the larger of its parts' first dimensions, 1 for a condition shared by every sample. */
  public static long count(Condition c) {
    long rows = 1;
    if (c != null && c.parameters() != null) {
      rows = Math.max(rows, c.parameters().size(0));
    }
    if (c != null && c.image() != null) {
      rows = Math.max(rows, c.image().size(0));
    }
    return rows;
  }

  /**
   * The condition of samples [start, start + rows) of a run of {@code n}: each part of {@code c} has one
   * row (repeated) or {@code n} rows (sliced).
   */
  public static Condition rows(Condition c, long n, long start, long rows) {
    if (c == null || c.isEmpty()) {
      return Condition.NONE;
    }
    return new Condition(part(c.parameters(), "parameters", n, start, rows), part(c.image(), "image", n, start, rows));
  }

  private static Tensor part(Tensor t, String what, long n, long start, long rows) {
    if (t == null) {
      return null;
    }
    if (t.dim() < 1 || (t.size(0) != 1 && t.size(0) != n)) {
      throw new InvalidInputException("the condition's " + what + " have shape " + Arrays.toString(Torch.shape(t))
          + "; expected one row for every sample or " + n + " rows, one per sample");
    }
    if (t.size(0) == 1) {
      long[] shape = Torch.shape(t);
      shape[0] = rows;
      return t.expand(shape).contiguous();
    }
    return t.narrow(0, start, rows);
  }
}
