package org.sbgm.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The timing of one workload: the median over the timed repetitions, in milliseconds.
 *
 * @param name the workload's name
 * @param medianMs the median of {@code samplesMs}
 * @param parameters the model's parameter count ({@code params=} in the line), or -1 when the line
 *     carries another figure instead ({@code extra})
 * @param note what the time covers
 * @param samplesMs every timed repetition, in milliseconds, in the order run
 * @param extra for a line without a parameter count, its third field (e.g. {@code GFLOP/s=...}); else null
 */
public record BenchResult(String name, double medianMs, long parameters, String note, double[] samplesMs,
    String extra) {
  /** Copies the samples. */
  public BenchResult {
    samplesMs = samplesMs.clone();
  }

  /** The median of {@code values} (the mean of the two middle values for an even count). */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the median needs at least one value, got none");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** A result from its timed samples. */
  public static BenchResult of(String name, long parameters, String note, double[] samplesMs) {
    return new BenchResult(name, median(samplesMs), parameters, note, samplesMs, null);
  }

  /** This result with {@code note} as its note. */
  public BenchResult withNote(String note) {
    return new BenchResult(name, medianMs, parameters, note, samplesMs, extra);
  }

  /** This result with a third field other than a parameter count. */
  public BenchResult withExtra(String extraField) {
    return new BenchResult(name, medianMs, -1, note, samplesMs, extraField);
  }

  /**
   * The line in the reference's format: {@code NAME <tab> ms (3 decimals) <tab> params=N <tab> note}
   * (or the extra field in place of {@code params=N}).
   */
  public String line() {
    String third = extra != null ? extra : "params=" + parameters;
    String s = String.format(Locale.ROOT, "%s\t%.3f\t%s", name, medianMs, third);
    return note == null || note.isEmpty() ? s : s + "\t" + note;
  }
}
