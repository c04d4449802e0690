package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;

/**
 * Adaptive step sizes from the solver's embedded error estimate, as in diffrax's {@code PIDController}
 * (Söderlind, "Digital filters in adaptive time-stepping", ACM TOMS 29 (2003); Hairer, Nørsett and
 * Wanner, <i>Solving ODEs I</i>, II.4).
 *
 * <p>The scaled error of a step from y₀ to y₁ is ε = max_b RMS_i( e_bi / (atol + rtol·max(|y₀_bi|, |y₁_bi|)) ):
 * the root mean square over each sample's entries, then the maximum over the batch, so every sample
 * meets the tolerance ({@link Norm#PER_SAMPLE_MAX}; {@link Norm#WHOLE_STATE_RMS} takes one RMS over every
 * entry of the batch instead, as diffrax's {@code rms_norm} and scipy's {@code solve_ivp} on a flattened
 * batch do: fewer steps, but the tolerance then holds on average over the batch, not for each sample).
 * The step is accepted when ε ≤ 1. With k the power of h in the error estimate
 * (min(p, p̂) + 1) and ε_{n−1}, ε_{n−2} the scaled errors of the two previous accepted steps (1 at the
 * start), the next step is h·clip(safety · ε^{−(p+i+d)/k} · ε_{n−1}^{(p+2d)/k} · ε_{n−2}^{−d/k},
 * fmin, factormax) with fmin = factormin after a rejection and 1 after an acceptance (an accepted
 * step never shrinks the next one, as in diffrax). The default (pcoeff, icoeff, dcoeff) = (0, 1, 0) is
 * the classical I controller h·safety·ε^{−1/k}. A non-finite ε rejects the step and shrinks by factormin.
 *
 * <p>When no initial step is given, it is chosen by Hairer's algorithm (Solving ODEs I, II.4, p. 169),
 * at the cost of one extra evaluation of F: with sc = atol + rtol|y₀|, d₀ = ‖y₀/sc‖, d₁ = ‖F₀/sc‖,
 * h₀ = 0.01 d₀/d₁ (10⁻⁶ if either is below 10⁻⁵), d₂ = ‖(F(t₀ + h₀, y₀ + h₀F₀) − F₀)/sc‖/h₀,
 * h₁ = (0.01/max(d₁, d₂))^{1/k} (max(10⁻⁶, 10⁻³h₀) if max(d₁, d₂) ≤ 10⁻¹⁵), and h = min(100h₀, h₁).
 *
 * <p>The tolerances are required (no silent defaults); the other knobs have the diffrax defaults and
 * are changed with the {@code with...} methods.
 *
 * @param rtol relative tolerance (≥ 0)
 * @param atol absolute tolerance (≥ 0; rtol and atol not both 0)
 * @param pcoeff proportional coefficient
 * @param icoeff integral coefficient
 * @param dcoeff derivative coefficient
 * @param dtmin smallest step magnitude allowed; integration fails below it (0: none)
 * @param dtmax largest step magnitude (+∞: none)
 * @param safety safety factor in (0, 1]
 * @param factormin smallest shrink factor after a rejection, in (0, 1]
 * @param factormax largest growth factor, ≥ 1
 * @param initialStep the first step's magnitude, or NaN for Hairer's algorithm
 * @param norm the scaled error norm
 */
public record PidController(double rtol, double atol, double pcoeff, double icoeff, double dcoeff, double dtmin,
    double dtmax, double safety, double factormin, double factormax, double initialStep, Norm norm)
    implements StepSizeController {

  /** How the scaled error of a batched state becomes one number. */
  public enum Norm {
    /** The RMS over each sample's entries, then the maximum over the batch: every sample meets the tolerance (the default). */
    PER_SAMPLE_MAX,
    /** One RMS over every entry of the state, batch included (diffrax's {@code rms_norm}; scipy on a flattened batch). */
    WHOLE_STATE_RMS;

    double of(Tensor x, Tensor scale) {
      return this == PER_SAMPLE_MAX ? ErrorNorm.rmsMax(x, scale) : ErrorNorm.rms(x, scale);
    }
  }

  /** Validates every knob. */
  public PidController {
    if (!(rtol >= 0) || !(atol >= 0) || !Double.isFinite(rtol) || !Double.isFinite(atol) || rtol + atol == 0) {
      throw new InvalidInputException("PidController needs finite rtol >= 0 and atol >= 0, not both zero; got rtol = "
          + rtol + ", atol = " + atol + ".");
    }
    if (!Double.isFinite(pcoeff) || !Double.isFinite(icoeff) || !Double.isFinite(dcoeff) || pcoeff + icoeff + dcoeff <= 0) {
      throw new InvalidInputException("PidController coefficients must be finite with pcoeff + icoeff + dcoeff > 0; got ("
          + pcoeff + ", " + icoeff + ", " + dcoeff + ").");
    }
    if (!(dtmin >= 0) || !(dtmax > dtmin)) {
      throw new InvalidInputException("PidController needs 0 <= dtmin < dtmax; got dtmin = " + dtmin + ", dtmax = " + dtmax + ".");
    }
    if (!(safety > 0 && safety <= 1)) {
      throw new InvalidInputException("PidController safety must lie in (0, 1], got " + safety + ".");
    }
    if (!(factormin > 0 && factormin <= 1) || !(factormax >= 1) || Double.isInfinite(factormax)) {
      throw new InvalidInputException("PidController needs factormin in (0, 1] and finite factormax >= 1; got "
          + factormin + " and " + factormax + ".");
    }
    if (!Double.isNaN(initialStep) && !(initialStep > 0 && Double.isFinite(initialStep))) {
      throw new InvalidInputException("PidController initialStep must be positive and finite (or NaN for automatic), got " + initialStep + ".");
    }
    if (norm == null) {
      throw new InvalidInputException("PidController needs an error norm (PER_SAMPLE_MAX or WHOLE_STATE_RMS), got null.");
    }
  }

  /** An I controller with the given tolerances and diffrax defaults for everything else. */
  public static PidController of(double rtol, double atol) {
    return new PidController(rtol, atol, 0, 1, 0, 0, Double.POSITIVE_INFINITY, 0.9, 0.2, 10, Double.NaN, Norm.PER_SAMPLE_MAX);
  }

  /** The same controller with other PID coefficients (e.g. (0.4, 0.3, 0) for a PI controller). */
  public PidController withCoefficients(double p, double i, double d) {
    return new PidController(rtol, atol, p, i, d, dtmin, dtmax, safety, factormin, factormax, initialStep, norm);
  }

  /** The same controller with step bounds. */
  public PidController withStepBounds(double min, double max) {
    return new PidController(rtol, atol, pcoeff, icoeff, dcoeff, min, max, safety, factormin, factormax, initialStep, norm);
  }

  /** The same controller with another safety factor. */
  public PidController withSafety(double s) {
    return new PidController(rtol, atol, pcoeff, icoeff, dcoeff, dtmin, dtmax, s, factormin, factormax, initialStep, norm);
  }

  /** The same controller with other factor bounds. */
  public PidController withFactors(double min, double max) {
    return new PidController(rtol, atol, pcoeff, icoeff, dcoeff, dtmin, dtmax, safety, min, max, initialStep, norm);
  }

  /** The same controller with a fixed first step instead of Hairer's algorithm. */
  public PidController withInitialStep(double h0) {
    return new PidController(rtol, atol, pcoeff, icoeff, dcoeff, dtmin, dtmax, safety, factormin, factormax, h0, norm);
  }

  /** The same controller with another error norm. */
  public PidController withNorm(Norm n) {
    return new PidController(rtol, atol, pcoeff, icoeff, dcoeff, dtmin, dtmax, safety, factormin, factormax, initialStep, n);
  }

  @Override
  public boolean isAdaptive() {
    return true;
  }

  @Override
  public Run begin(double t0, double t1, int errorOrder) {
    if (errorOrder < 1) {
      throw new IllegalArgumentException("errorOrder must be at least 1, got " + errorOrder + ".");
    }
    return new PidRun(this, t0, t1, errorOrder);
  }

  /** The mutable state of one adaptive integration. */
  private static final class PidRun implements Run {
    private final PidController c;
    private final double t0;
    private final double span;
    private final double direction;
    private final double k;
    private double prevInv = 1;
    private double prevPrevInv = 1;
    private double lastProposal;

    PidRun(PidController c, double t0, double t1, int errorOrder) {
      this.c = c;
      this.t0 = t0;
      this.span = Math.abs(t1 - t0);
      this.direction = Math.signum(t1 - t0);
      this.k = errorOrder;
    }

    @Override
    public double initialStep(VectorField f, Tensor y0, Tensor f0) {
      double h = Double.isNaN(c.initialStep) ? hairer(f, y0, f0) : c.initialStep;
      h = Math.min(Math.max(Math.min(h, span), c.dtmin), c.dtmax);
      lastProposal = h;
      return h;
    }

    private double hairer(VectorField f, Tensor y0, Tensor f0) {
      Tensor sc = ErrorNorm.scale(y0.abs(), c.rtol, c.atol);
      double d0 = c.norm.of(y0, sc);
      double d1 = c.norm.of(f0, sc);
      double h0 = 0.01 * d0 / d1;
      if (d0 < 1e-5 || d1 < 1e-5 || !(h0 > 0) || !Double.isFinite(h0)) {
        h0 = 1e-6; // also when the scaled norms overflow (tolerances near the smallest doubles)
      }
      h0 = Math.min(h0, span);
      Tensor y1 = y0.add(f0, org.sbgm.torch.Torch.scalar(direction * h0));
      Tensor f1 = f.at(t0 + direction * h0, y1);
      double d2 = c.norm.of(f1.sub(f0), sc) / h0;
      double m = Math.max(d1, d2);
      double h1 = (m <= 1e-15 || !Double.isFinite(m)) ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / m, 1 / k);
      return Math.min(100 * h0, h1);
    }

    @Override
    public Decision adapt(double t, double h, Tensor y0, Tensor y1, Tensor error) {
      if (error == null) {
        return Decision.fail("the adaptive controller got no error estimate; use a solver with an embedded method");
      }
      double taken = Math.abs(h);
      Tensor scale = ErrorNorm.scale(y0.abs().maximum(y1.abs()), c.rtol, c.atol);
      double eps = c.norm.of(error, scale);
      boolean accept = eps <= 1;
      double next;
      if (Double.isNaN(eps) || Double.isInfinite(eps)) {
        next = taken * c.factormin;
      } else {
        double inv = 1 / eps;
        double c1 = (c.icoeff + c.pcoeff + c.dcoeff) / k;
        double c2 = -(c.pcoeff + 2 * c.dcoeff) / k;
        double c3 = c.dcoeff / k;
        double factor = c.safety * (c1 == 0 ? 1 : Math.pow(inv, c1)) * (c2 == 0 ? 1 : Math.pow(prevInv, c2))
            * (c3 == 0 ? 1 : Math.pow(prevPrevInv, c3));
        factor = Math.min(Math.max(factor, accept ? 1 : c.factormin), c.factormax);
        next = taken * factor;
        if (accept) {
          if (taken < lastProposal) {
            next = Math.max(next, lastProposal); // the step was shortened to hit a save time or t1
          }
          prevPrevInv = prevInv;
          prevInv = (eps == 0) ? 1 : inv;
        }
      }
      next = Math.min(next, c.dtmax);
      if (next < c.dtmin) {
        return Decision.fail("the step size " + next + " fell below dtmin = " + c.dtmin + " (scaled error " + eps + ")");
      }
      lastProposal = next;
      return accept ? Decision.accept(next) : Decision.reject(next);
    }
  }
}
