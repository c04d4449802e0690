package org.sbgm.model;

import java.util.Locale;
import org.sbgm.InvalidInputException;
import org.sbgm.likelihood.Divergence;
import org.sbgm.solve.PidController;

/**
 * How log-likelihoods are computed: the divergence ({@code exact}: D vector-Jacobian or Jacobian-vector
 * products; {@code hutchinson}: {@code probes} Rademacher probes; null: exact for vectors of up to
 * {@value #EXACT_UP_TO} values, hutchinson otherwise), the tolerances of adaptive Dopri5 (default 1e-5,
 * as score_sde) and the time ε at which the density p_ε is reported (default {@value #DEFAULT_EPSILON}).
 *
 * @param divergence exact, hutchinson, or null for the automatic choice
 * @param probes Hutchinson probes per point, or null (1)
 * @param rtol the relative tolerance, or null
 * @param atol the absolute tolerance, or null
 * @param epsilon ε, or null
 * @param maxSteps the most solver steps (accepted plus rejected) per batch before the solve fails naming t and
 *     the NFE, or null for {@value #DEFAULT_MAX_STEPS}
 * @param errorNorm the adaptive controller's error norm: {@code per-sample} (the tolerances hold for every
 *     point), {@code batch-rms} (one RMS over the batch, as score_sde's scipy solve), or null (per-sample)
 */
public record LikelihoodSpec(String divergence, Integer probes, Double rtol, Double atol, Double epsilon, Integer maxSteps,
    String errorNorm) {
  /** The default step limit of the likelihood ODE. */
  public static final int DEFAULT_MAX_STEPS = 100_000;
  /** The default ε of the likelihood ODE. */
  public static final double DEFAULT_EPSILON = 1e-5;
  /** The largest per-sample size for which the automatic choice is the exact divergence. */
  public static final int EXACT_UP_TO = 64;

  /** Checks the settings. */
  public LikelihoodSpec {
    if (divergence != null) {
      divergence = Divergence.parse(divergence, 1) instanceof org.sbgm.likelihood.Exact ? "exact" : "hutchinson";
    }
    if (probes != null && probes < 1) {
      throw new InvalidInputException("probes must be at least 1, got " + probes);
    }
    if (probes != null && "exact".equals(divergence)) {
      throw new InvalidInputException("probes apply only to the hutchinson divergence, not to exact");
    }
    checkTolerance("rtol", rtol);
    checkTolerance("atol", atol);
    if (epsilon != null && !(epsilon > 0 && epsilon < 0.5)) {
      throw new InvalidInputException("epsilon must lie in (0, 0.5), got " + epsilon);
    }
    if (maxSteps != null && maxSteps < 1) {
      throw new InvalidInputException("max steps must be at least 1, got " + maxSteps);
    }
    if (errorNorm != null) {
      parseNorm(errorNorm);
    }
  }

  /** Settings with the default error norm. */
  public LikelihoodSpec(String divergence, Integer probes, Double rtol, Double atol, Double epsilon, Integer maxSteps) {
    this(divergence, probes, rtol, atol, epsilon, maxSteps, null);
  }

  private static PidController.Norm parseNorm(String name) {
    return switch (name) {
      case "per-sample" -> PidController.Norm.PER_SAMPLE_MAX;
      case "batch-rms" -> PidController.Norm.WHOLE_STATE_RMS;
      default -> throw new InvalidInputException("error norm must be per-sample or batch-rms, got '" + name + "'");
    };
  }

  /** The error norm of the adaptive controller (per-sample unless set). */
  public PidController.Norm normOr() {
    return errorNorm == null ? PidController.Norm.PER_SAMPLE_MAX : parseNorm(errorNorm);
  }

  /** Settings with the default step limit. */
  public LikelihoodSpec(String divergence, Integer probes, Double rtol, Double atol, Double epsilon) {
    this(divergence, probes, rtol, atol, epsilon, null);
  }

  /** The defaults: automatic divergence, rtol = atol = 1e-5, ε = 1e-5. */
  public static LikelihoodSpec defaults() {
    return new LikelihoodSpec(null, null, null, null, null);
  }

  /** This spec with tolerances rtol = atol = {@code tol}. */
  public LikelihoodSpec withTolerance(double tol) {
    return new LikelihoodSpec(divergence, probes, tol, tol, epsilon, maxSteps, errorNorm);
  }

  /** This spec with the divergence {@code name}. */
  public LikelihoodSpec withDivergence(String name) {
    return new LikelihoodSpec(name, probes, rtol, atol, epsilon, maxSteps, errorNorm);
  }

  /** The divergence name for samples of {@code dims} values in {@code rank} dimensions (vectors: rank 1). */
  public String divergenceFor(int rank, long dims) {
    return divergence != null ? divergence : rank == 1 && dims <= EXACT_UP_TO ? "exact" : "hutchinson";
  }

  /** The divergence for such samples. */
  public Divergence createDivergence(int rank, long dims) {
    return Divergence.parse(divergenceFor(rank, dims), probesOr());
  }

  /** A short description, e.g. "exact" or "hutchinson probes=1". */
  public String describe(int rank, long dims) {
    String d = divergenceFor(rank, dims);
    return d.equals("exact") ? d : d + " probes=" + probesOr();
  }

  public int probesOr() {
    return probes == null ? 1 : probes;
  }

  public double rtolOr() {
    return rtol == null ? 1e-5 : rtol;
  }

  public double atolOr() {
    return atol == null ? 1e-5 : atol;
  }

  public int maxStepsOr() {
    return maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps;
  }

  public double epsilonOr() {
    return epsilon == null ? DEFAULT_EPSILON : epsilon;
  }

  static void checkTolerance(String what, Double v) {
    if (v != null && !(v > 0 && v < 1)) {
      throw new InvalidInputException(what + " must lie in (0, 1), got " + v);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "LikelihoodSpec[%s, rtol=%g, atol=%g, epsilon=%g%s]",
        divergence == null ? "auto" : divergence, rtolOr(), atolOr(), epsilonOr(),
        errorNorm == null ? "" : ", norm=" + errorNorm);
  }
}
