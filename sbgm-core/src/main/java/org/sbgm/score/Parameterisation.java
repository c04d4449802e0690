package org.sbgm.score;

/** How a network's raw output becomes a score. */
public enum Parameterisation {
  /** The network predicts the noise ε in x_t = m x_0 + σ ε; score = -ε̂ / σ(t). The default. */
  EPSILON,
  /** The network predicts the score directly. */
  SCORE;

  /** Parses {@code epsilon}/{@code eps} or {@code score}. */
  public static Parameterisation parse(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "epsilon": case "eps": return EPSILON;
      case "score": return SCORE;
      default: throw new IllegalArgumentException("parameterisation must be epsilon or score, got '" + s + "'");
    }
  }
}
