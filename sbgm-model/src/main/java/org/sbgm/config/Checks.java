package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * Validation helpers for configuration records. Each failure is one sentence that starts with the key
 * (relative to the record being built; {@link ConfigFiles} prefixes the path of that record) and says
 * what was expected and what was found.
 */
public final class Checks {
  private Checks() {}

  /** Throws unless {@code value} is present. */
  public static <T> T required(String key, T value, String expected) {
    if (value == null) {
      throw new InvalidInputException(key + " is required (" + expected + ")");
    }
    return value;
  }

  /** {@code value}, or {@code fallback} when absent. */
  public static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }

  public static long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new InvalidInputException(key + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new InvalidInputException(key + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  public static double positive(String key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidInputException(key + " must be a positive finite number, got " + value);
    }
    return value;
  }

  public static double nonNegative(String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidInputException(key + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  /** Throws unless {@code value} lies in [lo, hi). */
  public static double inHalfOpen(String key, double value, double lo, double hi) {
    if (!(value >= lo && value < hi)) {
      throw new InvalidInputException(key + " must lie in [" + lo + ", " + hi + "), got " + value);
    }
    return value;
  }

  /** Lower-cases {@code value} and throws unless it is one of {@code allowed}. */
  public static String oneOf(String key, String value, List<String> allowed) {
    String v = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    if (v == null || !allowed.contains(v)) {
      throw new InvalidInputException(key + " must be one of " + String.join(", ", allowed) + ", got "
          + (value == null ? "nothing" : "'" + value + "'"));
    }
    return v;
  }

  /** Throws when {@code value} is present: the key does not apply in this context. */
  public static void absent(String key, Object value, String why) {
    if (value != null) {
      throw new InvalidInputException(key + " does not apply here (" + why + "), got " + value);
    }
  }

  /** A [min, max] range of two finite ordered numbers. */
  public static List<Double> range(String key, List<Double> value, List<Double> fallback, boolean positive) {
    List<Double> r = value == null ? fallback : value;
    if (r.size() != 2 || r.get(0) == null || r.get(1) == null || !Double.isFinite(r.get(0)) || !Double.isFinite(r.get(1))
        || r.get(0) > r.get(1) || (positive && !(r.get(0) > 0))) {
      throw new InvalidInputException(key + " must be a range [min, max] of two " + (positive ? "positive " : "")
          + "finite numbers with min <= max, got " + r);
    }
    return List.copyOf(r);
  }
}
