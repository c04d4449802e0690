package org.sbgm.measure;

import org.sbgm.InvalidInputException;

/**
 * The errors e_i = computed_i − exact_i of per-point values against their exact ones (log-likelihoods
 * against a closed-form density, say): their mean, the mean and largest of |e_i|, and their root mean
 * square.
 */
public record PointwiseError(double mean, double meanAbs, double rms, double maxAbs) {
  /** The errors of {@code computed} against {@code exact} (the same length, at least one point). */
  public static PointwiseError of(double[] computed, double[] exact) {
    if (computed.length != exact.length || computed.length == 0) {
      throw new InvalidInputException("Pointwise errors need as many computed values as exact ones (at least one), got "
          + computed.length + " and " + exact.length + ".");
    }
    double sum = 0;
    double abs = 0;
    double squares = 0;
    double max = 0;
    for (int i = 0; i < computed.length; i++) {
      double e = computed[i] - exact[i];
      sum += e;
      abs += Math.abs(e);
      squares += e * e;
      max = Math.max(max, Math.abs(e));
    }
    int n = computed.length;
    return new PointwiseError(sum / n, abs / n, Math.sqrt(squares / n), max);
  }
}
