package org.sbgm.train;

import java.util.Objects;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Denoising score matching (Vincent 2011; Song et al. 2021, arXiv 2011.13456, Eq. 7):
 *
 * <pre>  L(θ) = E_{t~U[ε,T]} λ(t) E_{x₀, z~N(0,I)} ||s_θ(m(t) x₀ + σ(t) z, t) + z/σ(t)||² / D</pre>
 *
 * averaged over the batch and the D dimensions of a sample. It is computed in the stable form
 * (λ/σ²) · mean_d r² with the residual r = σ s_θ + z, which for ε-prediction (s_θ = -ε̂/σ) is exactly
 * r = z - ε̂: with the default λ = σ² the loss is mean ||ε̂ - z||², with no division by σ at all.
 * Importance-sampled weightings draw t from p̂(t) ∝ λ/σ² and multiply by
 * λ/(σ² (T-ε) p̂(t)) (see {@link ImportanceTimeDensity}), which keeps the estimator unbiased.
 */
public final class DsmLoss {
  private final ScoreModel model;
  private final Weighting weighting;
  private final TimeSampler times;
  private final ImportanceTimeDensity importance;

  /** A per-sample draw of times with their loss factors λ(t)/σ²(t)·(proposal ratio), or null factors for σ². */
  public record Times(Tensor t, Tensor factor) {}

  /** The batch loss (a scalar with its graph), the per-sample losses {@code [B]} and the times {@code [B]}. */
  public record Result(Tensor loss, Tensor perSample, Tensor t) {}

  public DsmLoss(ScoreModel model, Weighting weighting, TimeSampler times) {
    this.model = Objects.requireNonNull(model, "model");
    this.weighting = Objects.requireNonNull(weighting, "weighting");
    this.times = Objects.requireNonNull(times, "times");
    Sde sde = model.sde();
    if (Math.abs(times.horizon() - sde.horizon()) > 1e-12 * sde.horizon()) {
      throw new InvalidInputException(
          "time sampler horizon " + times.horizon() + " differs from the SDE horizon " + sde.horizon());
    }
    if (weighting.importanceSampled()) {
      importance = new ImportanceTimeDensity(
          t -> weighting.lambda(sde, t) / square(sde.marginalStd(t)), times.epsilon(), times.horizon(),
          ImportanceTimeDensity.DEFAULT_CELLS);
    } else {
      importance = null;
    }
  }

  public ScoreModel model() {
    return model;
  }

  public Weighting weighting() {
    return weighting;
  }

  public TimeSampler timeSampler() {
    return times;
  }

  /** The importance-sampling proposal, or null when times are uniform. */
  public ImportanceTimeDensity importance() {
    return importance;
  }

  /**
   * Draws {@code n} times from {@code g} (one {@code unit} draw of the {@link TimeSampler}) and their loss
   * factors, both with the dtype and device of {@code like}. The factor is null for λ = σ² (it is 1).
   */
  public Times draw(long n, Generator g, Tensor like) {
    Tensor u = times.unit(n, g);
    if (weighting == Weighting.SIGMA_SQUARED) {
      return new Times(likeOf(times.toTime(u), like), null);
    }
    double[] uu = Torch.toDoubles(u);
    double[] t = new double[uu.length];
    double[] factor = new double[uu.length];
    Sde sde = model.sde();
    if (importance != null) {
      importance.sample(uu, t, factor);
    } else {
      for (int i = 0; i < uu.length; i++) {
        t[i] = times.toTime(uu[i]);
        factor[i] = weighting.lambda(sde, t[i]) / square(sde.marginalStd(t[i]));
      }
    }
    return new Times(likeOf(Torch.tensor(t, DType.FLOAT64, n), like),
        likeOf(Torch.tensor(factor, DType.FLOAT64, n), like));
  }

  /**
   * The per-sample losses {@code [B]}: factor · mean_d r², r = σ s_θ(m x₀ + σ z, t) + z
   * (r = z - ε̂ for ε-prediction); {@code factor} null means 1 (λ = σ²).
   */
  public Tensor perSample(Tensor x0, Condition condition, Tensor t, Tensor factor, Tensor z) {
    Sde sde = model.sde();
    long rank = x0.dim();
    Tensor m = Torch.perSample(sde.meanCoefficient(t), rank);
    Tensor sigma = Torch.perSample(sde.marginalStd(t), rank);
    Tensor xt = x0.mul(m).add(z.mul(sigma));
    Tensor out = model.output(xt, t, condition);
    Tensor residual = model.parameterisation() == Parameterisation.EPSILON
        ? z.sub(out)
        : out.mul(sigma).add(z);
    Tensor perSample = residual.square().reshape(x0.size(0), -1).mean(1);
    return factor == null ? perSample : perSample.mul(factor);
  }

  /**
   * One Monte-Carlo estimate on the batch {@code x0}: times from {@code timeGenerator}, noise z from
   * {@code noiseGenerator} (drawn on the CPU, then moved to x0's device, so CPU generators serve any device).
   */
  public Result compute(Tensor x0, Condition condition, Generator timeGenerator, Generator noiseGenerator) {
    Times draw = draw(x0.size(0), timeGenerator, x0);
    Tensor z = noise(x0, noiseGenerator);
    Tensor perSample = perSample(x0, condition, draw.t(), draw.factor(), z);
    return new Result(perSample.mean(), perSample, draw.t());
  }

  /**
   * Rows [from, from + count) of the estimate on the global batch {@code x0} of B rows: times and noise
   * are drawn for all B rows exactly as {@link #compute} draws them, and the loss is the sum of the
   * block's per-sample losses divided by B, so the blocks of a data-parallel run add up to the batch loss.
   */
  public Result computeRows(Tensor x0, Condition condition, Generator timeGenerator, Generator noiseGenerator,
      long from, long count) {
    long b = x0.size(0);
    Times draw = draw(b, timeGenerator, x0);
    Tensor z = noise(x0, noiseGenerator);
    Tensor t = draw.t().narrow(0, from, count);
    Tensor factor = draw.factor() == null ? null : draw.factor().narrow(0, from, count);
    Condition rows = condition.isEmpty() ? condition : new Condition(
        condition.parameters() == null ? null : condition.parameters().narrow(0, from, count),
        condition.image() == null ? null : condition.image().narrow(0, from, count));
    Tensor perSample = perSample(x0.narrow(0, from, count), rows, t, factor, z.narrow(0, from, count));
    return new Result(perSample.sum().div(Torch.scalar(b)), perSample, t);
  }

  /** Standard normal noise shaped like {@code like} from a CPU generator, on like's device. */
  static Tensor noise(Tensor like, Generator g) {
    return noise(Torch.shape(like), like, g);
  }

  /** Standard normal noise shaped {@code shape} from a CPU generator, in the dtype and on the device of {@code like}. */
  static Tensor noise(long[] shape, Tensor like, Generator g) {
    Tensor z = Torch.randn(shape, g, new TensorOptions(like.scalar_type()));
    return likeOf(z, like);
  }

  /** {@code t} converted to the dtype and device of {@code like} (itself when they match). */
  static Tensor likeOf(Tensor t, Tensor like) {
    return t.to(like.device(), like.scalar_type());
  }

  /** {@code c}'s parts converted to the dtype and device of {@code like}. */
  static Condition likeOf(Condition c, Tensor like) {
    if (c.isEmpty()) {
      return c;
    }
    return new Condition(c.parameters() == null ? null : likeOf(c.parameters(), like),
        c.image() == null ? null : likeOf(c.image(), like));
  }

  private static double square(double v) {
    return v * v;
  }
}
