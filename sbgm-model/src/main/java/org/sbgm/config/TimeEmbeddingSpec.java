package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.util.List;
import org.sbgm.nn.TimeEmbeddingConfig;

/**
 * How a network embeds the time t: {@code fourier} (Gaussian Fourier features, {@code dim} = 2 × the
 * number of frequencies, frequencies of std {@code scale}, default 16) or {@code sinusoidal}
 * (transformer sinusoids of t × {@code scale}, default 1000).
 */
public record TimeEmbeddingSpec(String kind, Integer dim, Double scale) {
  public TimeEmbeddingSpec {
    kind = Checks.oneOf("kind", Checks.or(kind, "fourier"), List.of("fourier", "sinusoidal"));
    dim = Checks.required("dim", dim, "an even number of features");
    if (dim < 2 || dim % 2 != 0) {
      throw new InvalidInputException("dim must be a positive even number, got " + dim);
    }
    scale = Checks.positive("scale", Checks.or(scale, kind.equals("fourier") ? 16.0 : 1000.0));
  }

  /** Fourier features of {@code dim} features and scale 16. */
  public static TimeEmbeddingSpec fourier(int dim) {
    return new TimeEmbeddingSpec("fourier", dim, 16.0);
  }

  /** Sinusoids of {@code dim} features and time factor 1000. */
  public static TimeEmbeddingSpec sinusoidal(int dim) {
    return new TimeEmbeddingSpec("sinusoidal", dim, 1000.0);
  }

  /** The core configuration. */
  public TimeEmbeddingConfig toCore() {
    return new TimeEmbeddingConfig(kind.equals("fourier") ? TimeEmbeddingConfig.Kind.FOURIER
        : TimeEmbeddingConfig.Kind.SINUSOIDAL, dim, scale);
  }
}
