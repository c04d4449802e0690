package org.sbgm.cli;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The {@code --condition a,b,...} option: the parameter vector π every sample is conditioned on. */
final class Conditions {
  private Conditions() {}

  /** Parses and checks π against the model's condition size P (null when unconditional). */
  static double[] parse(String text, int conditionDim, java.util.List<String> names) {
    if (conditionDim == 0) {
      if (text != null) {
        throw new UserError("--condition was given, but this model is unconditional");
      }
      return null;
    }
    String what = names == null ? conditionDim + " values" : conditionDim + " values (" + String.join(", ", names) + ")";
    if (text == null) {
      throw new UserError("this model is conditional: give --condition with " + what + ", e.g. --condition "
          + String.join(",", java.util.Collections.nCopies(conditionDim, "1.0")));
    }
    String[] parts = text.split(",", -1);
    if (parts.length != conditionDim) {
      throw new UserError("--condition must hold " + what + " separated by commas, got '" + text + "'");
    }
    double[] v = new double[conditionDim];
    for (int i = 0; i < v.length; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UserError("--condition value '" + parts[i].trim() + "' is not a number (in '" + text + "')");
      }
      if (!Double.isFinite(v[i])) {
        throw new UserError("--condition values must be finite, got '" + text + "'");
      }
    }
    return v;
  }

  /** The condition of {@code rows} samples (NONE when {@code values} is null). */
  static Condition of(double[] values, long rows, DType dtype) {
    if (values == null) {
      return Condition.NONE;
    }
    double[] all = new double[Math.toIntExact(rows * values.length)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, 0, all, r * values.length, values.length);
    }
    Tensor t = Torch.tensor(all, dtype, rows, values.length);
    return Condition.ofParameters(t);
  }

  static String format(double[] v) {
    return v == null ? "none" : Arrays.toString(v);
  }
}
