package org.sbgm.sample;

import java.util.Objects;
import org.sbgm.InvalidInputException;
import org.sbgm.sde.Sde;
import org.sbgm.solve.DenoiserField;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * EDM's Heun sampler (Karras et al. 2022, arXiv 2206.00364, Algorithm 1, and Algorithm 2 with churn):
 * {@code steps} steps of {@link org.sbgm.solve.EdmHeun} in the scaled state x/m and noise level σ̃ = σ/m,
 * on the Karras ρ = 7 grid in σ̃ from σ̃(T) to σ̃(ε) by default, two score evaluations per step. Any SDE
 * reaches EDM's form through its σ(t) and m(t) (VE: m = 1, σ̃ = σ; VP and sub-VP: σ̃ = σ/m), see
 * {@link NoiseSchedule}.
 *
 * <p>Churn (Algorithm 2): at a step from t_i with σ̃_i ∈ [S_tmin, S_tmax], the noise level is first
 * raised to σ̂ = (1 + γ) σ̃_i with γ = min(S_churn/N, √2 − 1) by adding
 * S_noise √(σ̂² − σ̃_i²) z to x/m; σ̂ is capped at σ̃(T), where the model's time range ends.
 */
public final class EdmHeun extends GridSampler {
  private final Churn churn;

  /**
   * EDM's stochasticity settings.
   *
   * @param sChurn S_churn ≥ 0, the total churn (0: deterministic, Algorithm 1)
   * @param sTmin S_tmin ≥ 0, the lowest σ̃ that churns
   * @param sTmax S_tmax ≥ S_tmin, the highest σ̃ that churns (may be infinite)
   * @param sNoise S_noise &gt; 0, the scale of the added noise (slightly above 1 offsets a denoiser's loss of detail)
   */
  public record Churn(double sChurn, double sTmin, double sTmax, double sNoise) {
    /** No churn: the deterministic sampler. */
    public static final Churn NONE = new Churn(0, 0, Double.POSITIVE_INFINITY, 1);

    /** Checks the settings. */
    public Churn {
      if (!(sChurn >= 0) || !Double.isFinite(sChurn)) {
        throw new InvalidInputException("S_churn must be a finite number >= 0, got " + sChurn);
      }
      if (!(sTmin >= 0) || !(sTmax >= sTmin) || Double.isNaN(sTmax)) {
        throw new InvalidInputException("S_tmin and S_tmax must satisfy 0 <= S_tmin <= S_tmax, got " + sTmin + " and " + sTmax);
      }
      if (!(sNoise > 0) || !Double.isFinite(sNoise)) {
        throw new InvalidInputException("S_noise must be a positive finite number, got " + sNoise);
      }
    }

    /** Churn {@code sChurn} at every noise level, S_noise = 1. */
    public static Churn of(double sChurn) {
      return new Churn(sChurn, 0, Double.POSITIVE_INFINITY, 1);
    }
  }

  /** Deterministic EDM Heun, {@code steps} steps on the Karras ρ = 7 grid to ε = 1e-3, float32. */
  public EdmHeun(int steps) {
    this(steps, Churn.NONE, 1e-3, TimeGrid.karras(7), DType.FLOAT32, null);
  }

  /**
   * EDM Heun with {@code churn}.
   *
   * @throws InvalidInputException when steps &lt; 1 or epsilon ≤ 0
   */
  public EdmHeun(int steps, Churn churn, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    super(steps, epsilon, grid, dtype, observer);
    this.churn = Objects.requireNonNull(churn, "churn");
  }

  /** The stochasticity settings. */
  public Churn churn() {
    return churn;
  }

  @Override
  public EdmHeun withDType(DType d) {
    return new EdmHeun(steps, churn, epsilon, grid, d, observer);
  }

  @Override
  public EdmHeun withObserver(StepObserver o) {
    return new EdmHeun(steps, churn, epsilon, grid, dtype, o);
  }

  @Override
  protected boolean noiseOnLastStep() {
    return churn.sChurn() > 0; // the churn comes at the start of a step, which then ends deterministically
  }

  @Override
  protected Solver<? super DenoiserField> solver(Sde sde) {
    NoiseSchedule schedule = NoiseSchedule.of(sde);
    if (churn.sChurn() == 0) {
      return org.sbgm.solve.EdmHeun.deterministic();
    }
    double gamma = Math.min(churn.sChurn() / steps, Math.sqrt(2) - 1);
    double ceiling = schedule.sigmaTilde(sde.horizon());
    return org.sbgm.solve.EdmHeun.stochastic(t -> {
      double level = schedule.sigmaTilde(t);
      if (level < churn.sTmin() || level > churn.sTmax()) {
        return t;
      }
      double raised = Math.min((1 + gamma) * level, ceiling);
      return raised <= level ? t : Math.max(t, schedule.timeAtSigmaTilde(raised));
    }, churn.sNoise());
  }
}
