package org.sbgm.nn;

import org.sbgm.InvalidInputException;

/**
 * How a time t is embedded as a vector of {@code dim} features.
 *
 * @param kind Gaussian Fourier features or the transformer sinusoid
 * @param dim the number of output features (even)
 * @param scale for {@link Kind#FOURIER} the standard deviation of the random frequencies W; for
 *     {@link Kind#SINUSOIDAL} the factor applied to t before the sinusoids (1000 maps t ∈ [0, 1] onto
 *     DDPM's step range)
 */
public record TimeEmbeddingConfig(Kind kind, int dim, double scale) {
  /** The two embeddings. */
  public enum Kind {
    /** [sin(2π W t), cos(2π W t)], W ~ N(0, scale²) drawn once (Tancik et al. 2020, arXiv 2006.10739). */
    FOURIER,
    /** [sin(scale t f_i), cos(scale t f_i)], f_i = exp(-ln(10⁴) i / half) (Vaswani et al. 2017). */
    SINUSOIDAL
  }

  /** Validates the fields. */
  public TimeEmbeddingConfig {
    if (kind == null) {
      throw new InvalidInputException("time embedding kind must be FOURIER or SINUSOIDAL, got null");
    }
    if (dim < 2 || dim % 2 != 0) {
      throw new InvalidInputException("time embedding dim must be a positive even number, got " + dim);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new InvalidInputException("time embedding scale must be positive and finite, got " + scale);
    }
  }

  /** Gaussian Fourier features with {@code frequencies} random frequencies of std {@code scale}: dim = 2 frequencies. */
  public static TimeEmbeddingConfig fourier(int frequencies, double scale) {
    if (frequencies < 1) {
      throw new InvalidInputException("Fourier frequencies must be at least 1, got " + frequencies);
    }
    return new TimeEmbeddingConfig(Kind.FOURIER, 2 * frequencies, scale);
  }

  /** The sinusoidal embedding of {@code dim} features with the time factor 1000. */
  public static TimeEmbeddingConfig sinusoidal(int dim) {
    return new TimeEmbeddingConfig(Kind.SINUSOIDAL, dim, 1000.0);
  }
}
