package org.sbgm.inverse;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.sample.Ddim;
import org.sbgm.sample.Samples;
import org.sbgm.sample.TimeGrid;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * Diffusion posterior sampling (DPS; Chung et al. 2023, arXiv 2209.14687, Algorithm 1): {@code steps}
 * ancestral steps on a time grid, each followed by x ← x − ζ ∇_x ‖y − A x̂₀(x)‖ ({@link DpsStep}). DPS
 * does not sample the exact posterior even with the exact score (x̂₀ stands in for p(x₀ | x_t) and ζ is
 * a heuristic step size); its measured accuracy is in {@code docs/inverse-problems.md}.
 */
public final class Dps implements PosteriorSampler {
  private final Ddim base;
  private final double zeta;

  /** The default step size ζ. */
  public static final double DEFAULT_ZETA = 0.3;

  /** DPS with ζ = {@value #DEFAULT_ZETA} on {@code steps} uniform steps to ε = 1e-3, float32. */
  public Dps(int steps) {
    this(steps, DEFAULT_ZETA, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  /**
   * DPS with step size {@code zeta} on {@code steps} steps of {@code grid} to {@code epsilon}.
   *
   * @throws InvalidInputException when zeta is negative or not finite (or the grid settings are bad)
   */
  public Dps(int steps, double zeta, double epsilon, TimeGrid grid, DType dtype, StepObserver observer) {
    if (!(zeta >= 0) || !Double.isFinite(zeta)) {
      throw new InvalidInputException("the DPS step size zeta must be a finite number >= 0, got " + zeta);
    }
    this.base = new Ddim(steps, 1, epsilon, grid, dtype, observer);
    this.zeta = zeta;
  }

  @Override
  public PosteriorSamples sample(DiffusionModel prior, Observation observation, long n, Condition condition,
      Generator generator) {
    AtomicLong vjps = new AtomicLong();
    Samples s = base.sampleWith(new DpsStep(observation, zeta, vjps), prior, n, observation.operator().inputShape(),
        condition, generator);
    return new PosteriorSamples(s.x(), s.nfe(), vjps.get());
  }

  @Override
  public Dps withObserver(StepObserver observer) {
    return new Dps(base.steps(), zeta, base.epsilon(), base.grid(), base.dtype(), observer);
  }

  @Override
  public Dps withDType(DType dtype) {
    return new Dps(base.steps(), zeta, base.epsilon(), base.grid(), dtype, base.observer());
  }

  /** ζ. */
  public double zeta() {
    return zeta;
  }

  @Override
  public String describe() {
    return "DPS (zeta " + zeta + ", " + base.steps() + " ancestral steps, " + base.grid() + " grid)";
  }
}
