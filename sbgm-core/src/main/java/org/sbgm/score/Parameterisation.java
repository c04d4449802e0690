package org.sbgm.score;

/**
 * What a score network's raw output F_θ(x, t) means. With p(x_t | x_0) = N(m(t) x_0, σ(t)² I) and
 * x_t = m x_0 + σ ε, the true score of the kernel is -ε/σ.
 */
public enum Parameterisation {
  /** F predicts the noise ε (Ho et al. 2020): s = -F/σ(t). The default; σ² weighting makes its loss ‖F - ε‖². */
  EPSILON,
  /** F is the score itself: s = F (Song et al. 2021, arXiv 2011.13456). */
  SCORE;

  /**
   * Parses {@code epsilon}/{@code eps} or {@code score} (any case).
   *
   * @throws org.sbgm.InvalidInputException for any other name
   */
  public static Parameterisation parse(String s) {
    switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "epsilon": case "eps": return EPSILON;
      case "score": return SCORE;
      default: throw new org.sbgm.InvalidInputException("Unknown parameterisation '" + s + "'; expected epsilon (or eps) or score.");
    }
  }
}
