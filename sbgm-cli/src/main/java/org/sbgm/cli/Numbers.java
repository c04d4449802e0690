package org.sbgm.cli;

import org.sbgm.InvalidInputException;

/** Option values that are lists of numbers, such as {@code --condition 1.0,3.0}. */
final class Numbers {
  private Numbers() {}

  /**
   * The comma-separated numbers of {@code option}'s value {@code text}, or null when it was not given; NaN, an
   * infinity or a number too large for a double (such as 1e400) is refused, naming the option.
   */
  static double[] parse(String option, String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split(",", -1);
    double[] v = new double[parts.length];
    for (int i = 0; i < v.length; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(option + " value '" + parts[i].trim() + "' is not a number (in '" + text + "')");
      }
      if (!Double.isFinite(v[i])) {
        throw new InvalidInputException(option + " value '" + parts[i].trim() + "' is not a finite number (in '" + text
            + "'); expected finite numbers");
      }
    }
    return v;
  }
}
