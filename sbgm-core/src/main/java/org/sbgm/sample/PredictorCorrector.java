package org.sbgm.sample;

import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Predictor–corrector sampling (Song et al. 2021, arXiv 2011.13456, Algorithms 2 and 3 / 4 and 5):
 * at each time of the grid, {@code correctorSteps} Langevin corrector steps
 * x ← x + ε s(x, t) + √(2ε) z with ε = 2α (r ‖z‖ / ‖s‖)² (r the signal-to-noise ratio; the
 * norms are batch means of per-sample norms, as in score_sde: per-sample norms blow the step up for
 * low-dimensional samples that sit near a mode, where ‖s‖ ≈ 0), then one Euler–Maruyama predictor step of the reverse SDE to the next time; the last
 * predictor step returns its mean. α = m(t_i)² / m(t_{i+1})², which is the 1 - β_i of the discrete
 * VP chain and 1 for VE. Cost: (1 + correctorSteps) score evaluations per step.
 */
public final class PredictorCorrector implements Sampler {
  private final int steps;
  private final int correctorSteps;
  private final double snr;
  private final double epsilon;
  private final TimeGrid grid;
  private final DType dtype;
  private final StepObserver observer;

  /** {@code steps} steps, one corrector step each with r = 0.16 (score_sde's default), ε = 1e-3. */
  public PredictorCorrector(int steps) {
    this(steps, 1, 0.16, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null);
  }

  public PredictorCorrector(int steps, int correctorSteps, double snr, double epsilon, TimeGrid grid, DType dtype,
      StepObserver observer) {
    if (steps < 1) {
      throw new IllegalArgumentException("the number of steps must be at least 1, got " + steps);
    }
    if (correctorSteps < 0) {
      throw new IllegalArgumentException("the number of corrector steps must be at least 0, got " + correctorSteps);
    }
    if (!(snr > 0)) {
      throw new IllegalArgumentException("the signal-to-noise ratio must be positive, got " + snr);
    }
    this.steps = steps;
    this.correctorSteps = correctorSteps;
    this.snr = snr;
    this.epsilon = epsilon;
    this.grid = Objects.requireNonNull(grid, "grid");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.observer = observer;
  }

  public PredictorCorrector withDType(DType d) {
    return new PredictorCorrector(steps, correctorSteps, snr, epsilon, grid, d, observer);
  }

  public PredictorCorrector withObserver(StepObserver o) {
    return new PredictorCorrector(steps, correctorSteps, snr, epsilon, grid, dtype, o);
  }

  @Override
  public Samples sample(ScoreFunction score, Sde sde, long n, long[] shape, Condition condition, Generator generator) {
    Torch.init();
    Condition c = condition == null ? Condition.NONE : condition;
    double[] ts = grid.times(sde.horizon(), epsilon, steps);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      return run(score, sde, n, shape, c, ts, generator);
    }
  }

  private Samples run(ScoreFunction score, Sde sde, long n, long[] shape, Condition c, double[] ts, Generator generator) {
    Tensor x = Torch.retain(sde.samplePrior(n, shape, generator, Torch.options(dtype)));
    int nfe = 0;
    for (int i = 0; i < steps; i++) {
      double t = ts[i];
      double next = ts[i + 1];
      Tensor updated;
      try (PointerScope scope = new PointerScope()) {
        Tensor tb = Torch.sharedTime(n, t, x);
        double mt = sde.meanCoefficient(t);
        double mn = sde.meanCoefficient(next);
        double alpha = (mt * mt) / (mn * mn);
        Tensor y = x;
        for (int j = 0; j < correctorSteps; j++) {
          Tensor s = score.score(y, tb, c);
          Tensor z = Torch.randnLike(y, generator);
          double ratio = snr * meanNorm(z) / meanNorm(s);
          double eps = 2 * alpha * ratio * ratio;
          y = y.add(s, Torch.scalar(eps)).add(z, Torch.scalar(Math.sqrt(2 * eps)));
          nfe++;
        }
        double h = next - t;
        Tensor mean = y.add(Sdes.reverseDrift(sde, score, y, t, c), Torch.scalar(h));
        nfe++;
        updated = i == steps - 1 ? mean
            : mean.add(Torch.randnLike(y, generator).mul(Torch.scalar(sde.diffusion(t) * Math.sqrt(-h))));
        if (!Torch.allFinite(updated)) {
          throw new IllegalStateException("predictor-corrector sampling produced non-finite values at t=" + next
              + " after " + nfe + " score evaluations");
        }
        updated.retainReference();
      }
      x.releaseReference();
      x = updated;
      if (observer != null) {
        observer.handleStep(next, x, next - t);
      }
    }
    return new Samples(Torch.handToScope(x), nfe);
  }

  /** The batch mean of the per-sample Euclidean norms. */
  private static double meanNorm(Tensor v) {
    return Torch.sumPerSample(v.square()).sqrt().mean().item_double();
  }
}
