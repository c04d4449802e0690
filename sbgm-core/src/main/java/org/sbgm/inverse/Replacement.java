package org.sbgm.inverse;

import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.sample.GridSampler;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.Torch;

/**
 * Replacement inpainting (score_sde's inpainting, Song et al. 2021, arXiv 2011.13456) with RePaint's
 * resampling (Lugmayr et al. 2022, arXiv 2201.09865): the base sampler's steps with the observed entries
 * replaced, after each step, by the observation diffused to that time ({@link ReplacementStep}). For a
 * {@link Mask} only (also in a model's units, a {@link ScaledInput} of a mask). The observed values are
 * imposed as if noiseless: with σ_y &gt; 0 the observed entries keep the observation's noise, where the
 * exact posterior would shrink them towards the prior. {@code passes} = 1 is plain replacement; RePaint
 * uses 10. Cost: {@code passes} × the base step's evaluations per step.
 */
public final class Replacement implements PosteriorSampler {
  private final GridSampler base;
  private final int passes;

  /**
   * Replacement on {@code base}'s steps with {@code passes} passes per step (RePaint's U).
   *
   * @throws InvalidInputException when passes &lt; 1
   */
  public Replacement(GridSampler base, int passes) {
    this.base = Objects.requireNonNull(base, "base");
    if (passes < 1) {
      throw new InvalidInputException("RePaint's passes per step must be at least 1, got " + passes);
    }
    this.passes = passes;
  }

  /** Plain replacement (one pass) on {@code steps} ancestral DDIM steps (η = 1) on a uniform grid to ε = 1e-3, float32. */
  public Replacement(int steps) {
    this(new org.sbgm.sample.Ddim(steps, 1, 1e-3, org.sbgm.sample.TimeGrid.uniform(), org.sbgm.torch.DType.FLOAT32, null), 1);
  }

  @Override
  public Replacement withDType(org.sbgm.torch.DType dtype) {
    return new Replacement(base.withDType(dtype), passes);
  }

  /** The same method with {@code u} passes per step. */
  public Replacement withPasses(int u) {
    return new Replacement(base, u);
  }

  @Override
  public PosteriorSamples sample(DiffusionModel prior, Observation observation, long n, Condition condition,
      Generator generator) {
    ForwardOperator a = observation.operator();
    Tensor mask;
    Tensor scale;
    if (a instanceof Mask m) {
      mask = m.mask();
      scale = null;
    } else if (a instanceof ScaledInput s && s.operator() instanceof Mask m) {
      mask = m.mask();
      scale = s.scale();
    } else {
      throw new InvalidInputException("replacement (RePaint) inpainting needs a mask operator, got " + a.describe()
          + "; use dps, pigdm or mmps for other operators");
    }
    Tensor known;
    try (PointerScope scope = new PointerScope()) {
      Tensor y = observation.y();
      known = Torch.retain(scale == null ? y.clone() : y.div(scale).mul(mask));
    }
    try {
      Samples s = base.sampleWith(new ReplacementStep(base.step(prior.sde()), mask, known, passes), prior, n,
          a.inputShape(), condition, generator);
      return new PosteriorSamples(s.x(), s.nfe(), 0);
    } finally {
      known.releaseReference();
    }
  }

  @Override
  public Replacement withObserver(StepObserver observer) {
    return new Replacement(base.withObserver(observer), passes);
  }

  @Override
  public String describe() {
    return "replacement inpainting (" + passes + " pass" + (passes == 1 ? "" : "es") + " per step) on "
        + base.getClass().getSimpleName() + " (" + base.steps() + " steps, " + base.grid() + " grid)";
  }
}
