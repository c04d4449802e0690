package org.sbgm.train;

import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.sbgm.InvalidInputException;
import org.sbgm.sde.Sde;

/**
 * The time weighting λ(t) of the denoising score-matching objective
 * E_{t~U[ε,T]} λ(t) E ||s_θ(m x₀ + σz, t) + z/σ||² / D.
 *
 * <p>Built-ins: {@link #SIGMA_SQUARED} (λ = σ², the default, identical to ε-prediction),
 * {@link #LIKELIHOOD} (λ = g², the likelihood weighting of Song, Durkan et al. 2021,
 * arXiv 2101.09258, with times importance-sampled from a density ∝ g²/σ²),
 * {@link #LIKELIHOOD_UNIFORM} (λ = g² with uniform times: the same objective, far higher variance;
 * kept as a reference) and user weightings via {@link #of}.
 */
public interface Weighting {
  /** λ = σ²(t): the default; with ε-prediction the loss is mean ||ε̂ - z||². */
  Weighting SIGMA_SQUARED = new Named("sigma2", false) {
    @Override
    public double lambda(Sde sde, double t) {
      double s = sde.marginalStd(t);
      return s * s;
    }
  };

  /** λ = g²(t) with t importance-sampled from p(t) ∝ g²(t)/σ²(t) on [ε, T] (arXiv 2101.09258). */
  Weighting LIKELIHOOD = new Named("likelihood", true) {
    @Override
    public double lambda(Sde sde, double t) {
      double g = sde.diffusion(t);
      return g * g;
    }
  };

  /** λ = g²(t) with uniform t: unbiased for the same objective as {@link #LIKELIHOOD}, high variance. */
  Weighting LIKELIHOOD_UNIFORM = new Named("likelihood-uniform", false) {
    @Override
    public double lambda(Sde sde, double t) {
      double g = sde.diffusion(t);
      return g * g;
    }
  };

  /** A short name stored in checkpoints and configs; resuming compares it. */
  String name();

  /** λ(t) for the SDE {@code sde}; must be finite and non-negative on [ε, T]. */
  double lambda(Sde sde, double t);

  /**
   * True when times are drawn from p(t) ∝ λ(t)/σ²(t) on [ε, T] (and the per-sample loss is weighted by
   * the ratio that keeps the estimator unbiased) instead of uniformly.
   */
  default boolean importanceSampled() {
    return false;
  }

  /** A user weighting λ(t) = {@code lambda.applyAsDouble(t)} with uniform times. */
  static Weighting of(String name, DoubleUnaryOperator lambda) {
    return of(name, lambda, false);
  }

  /** A user weighting; with {@code importanceSampled}, times are drawn ∝ λ(t)/σ²(t). */
  static Weighting of(String name, DoubleUnaryOperator lambda, boolean importanceSampled) {
    Objects.requireNonNull(lambda, "lambda");
    return new Named(name, importanceSampled) {
      @Override
      public double lambda(Sde sde, double t) {
        return lambda.applyAsDouble(t);
      }
    };
  }

  /**
   * Parses a built-in name: {@code sigma2} (also {@code sigma^2}, {@code eps}), {@code likelihood}
   * (also {@code g2}) or {@code likelihood-uniform}.
   */
  static Weighting parse(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "sigma2": case "sigma^2": case "eps": case "epsilon": return SIGMA_SQUARED;
      case "likelihood": case "g2": case "g^2": return LIKELIHOOD;
      case "likelihood-uniform": return LIKELIHOOD_UNIFORM;
      default:
        throw new InvalidInputException(
            "weighting must be sigma2, likelihood or likelihood-uniform, got '" + s + "'");
    }
  }

  /** Base of the built-in and user weightings: a name and the importance-sampling flag (not for subclassing outside this package). */
  abstract class Named implements Weighting {
    private final String name;
    private final boolean importanceSampled;

    Named(String name, boolean importanceSampled) {
      if (name == null || name.isBlank() || name.contains("\n") || name.contains("=")) {
        throw new InvalidInputException("weighting name must be a non-blank single word, got '" + name + "'");
      }
      this.name = name;
      this.importanceSampled = importanceSampled;
    }

    @Override
    public final String name() {
      return name;
    }

    @Override
    public final boolean importanceSampled() {
      return importanceSampled;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
