package org.sbgm.inference;

import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The affine-invariant ensemble sampler with the stretch move (Goodman and Weare 2010, Comm. App. Math.
 * Comp. Sci. 5(1); the parallel form of Foreman-Mackey et al. 2013, arXiv 1202.3665, Algorithm 3). The C
 * walkers are split into two halves; each half moves in turn against the other, fixed, half: walker k
 * proposes Y = X_j + z (X_k − X_j) with X_j a walker of the other half drawn uniformly and z drawn from
 * g(z) ∝ 1/√z on [1/a, a], and accepts with probability min(1, z^{P−1} p(Y)/p(X_k)). The proposals of a
 * half are evaluated together, so one step (both halves) costs two batched likelihood evaluations of C/2
 * points each (for a diffusion model, two ODE solves whatever C). The move is invariant under affine maps of
 * θ, so it needs no tuning for correlated or badly scaled posteriors.
 *
 * <p>The walkers start from independent prior draws (a draw whose posterior is zero is drawn again). Every
 * random number comes from the caller's generator, so a run replays exactly.
 */
public final class EnsembleSampler {
  /**
   * The run's settings.
   *
   * @param walkers C, even and at least 2P
   * @param steps the number of steps (each moves every walker once)
   * @param burnIn leading steps left out of the summaries, leaving at least {@link #MIN_KEPT} kept draws per walker
   * @param stretch a &gt; 1, the scale of the stretch move (2 in the paper)
   */
  public record Settings(int walkers, int steps, int burnIn, double stretch) {
    /** The fewest kept draws (steps − burn-in) per walker: what {@link ChainDiagnostics} needs. */
    public static final int MIN_KEPT = 4;

    /** Checks the settings. */
    public Settings {
      if (walkers < 4 || walkers % 2 != 0) {
        throw new InvalidInputException("the number of walkers (chains) must be even and at least 4, got " + walkers);
      }
      if (steps < MIN_KEPT) {
        throw new InvalidInputException("the number of MCMC steps must be at least " + MIN_KEPT + " (the draws per walker "
            + "the diagnostics need), got " + steps);
      }
      if (burnIn < 0) {
        throw new InvalidInputException("the burn-in must be at least 0, got " + burnIn);
      }
      if (steps - burnIn < MIN_KEPT) {
        throw new InvalidInputException("the MCMC would keep steps - burn-in = " + steps + " - " + burnIn + " = "
            + (steps - burnIn) + (steps - burnIn == 1 ? " draw" : " draws") + " per walker, but its diagnostics need at least "
            + MIN_KEPT + "; the burn-in must lie in [0, " + (steps - MIN_KEPT) + "] for " + steps + " steps");
      }
      if (!(stretch > 1) || Double.isInfinite(stretch)) {
        throw new InvalidInputException("the stretch scale a must be a finite number above 1, got " + stretch);
      }
      checkSize(walkers, steps, burnIn, 1);
    }

    /**
     * Refuses a run whose draws of {@code p} parameters cannot be held: more walker-steps than a Java array
     * holds, or more memory than the Java heap may use.
     *
     * @throws InvalidInputException naming the walkers, the steps and the memory needed
     */
    public void checkSize(int p) {
      checkSize(walkers, steps, burnIn, p);
    }

    private static void checkSize(int walkers, int steps, int burnIn, int p) {
      String what = walkers + " walkers (chains) × " + steps + " steps";
      org.sbgm.Memory.checkArray(what + " = " + (long) walkers * steps + " draws", (double) walkers * steps);
      double perDraw = 8 + 16 + 8.0 * p;
      double bytes = (double) steps * (walkers * perDraw + 16 + 8.0 * walkers) + (double) (steps - burnIn) * walkers * perDraw;
      org.sbgm.Memory.checkHeap(what + " of " + p + (p == 1 ? " parameter" : " parameters"), bytes);
    }

    /** {@code walkers} walkers for {@code steps} steps, the first half burn-in, a = 2. */
    public static Settings of(int walkers, int steps) {
      return new Settings(walkers, steps, steps / 2, 2.0);
    }

    /**
     * Settings for a posterior over {@code p} parameters, each value the default where it is null:
     * max(32, 2P) walkers, 1000 steps, the first half of the steps burn-in, a = 2.
     */
    public static Settings forDimension(int p, Integer walkers, Integer steps, Integer burnIn) {
      int s = steps != null ? steps : 1000;
      return new Settings(walkers != null ? walkers : Math.max(32, 2 * p), s, burnIn != null ? burnIn : s / 2, 2.0);
    }
  }

  /** Progress after each step. */
  @FunctionalInterface
  public interface Listener {
    /** {@code done} of {@code total} steps are done; {@code acceptance} is the fraction accepted so far. */
    void step(int done, int total, double acceptance);
  }

  private EnsembleSampler() {}

  /** Runs the sampler on {@code posterior}. */
  public static McmcResult run(Posterior posterior, Settings settings, Generator generator, Listener listener) {
    Objects.requireNonNull(posterior, "posterior");
    Objects.requireNonNull(generator, "generator");
    int p = posterior.dimension();
    int c = settings.walkers();
    if (c < 2 * p) {
      throw new InvalidInputException("the ensemble needs at least 2P = " + 2 * p + " walkers for " + p
          + " parameters, got " + c);
    }
    settings.checkSize(p);
    long before = posterior.evaluatedPoints();
    double[][] x = new double[c][];
    double[] lp = new double[c];
    initialise(posterior, generator, x, lp);
    double a = settings.stretch();
    double[][][] chain = new double[settings.steps()][c][];
    double[][] logs = new double[settings.steps()][];
    int[] accepted = new int[c];
    long moves = 0;
    long acceptedTotal = 0;
    long solves = 0;
    int half = c / 2;
    for (int step = 0; step < settings.steps(); step++) {
      for (int h = 0; h < 2; h++) {
        int first = h * half;
        int other = (1 - h) * half;
        double[] u;
        try (PointerScope scope = new PointerScope()) {
          u = Torch.toDoubles(Torch.rand(new long[] {3, half}, generator, Torch.options(DType.FLOAT64)));
        }
        double[][] proposals = new double[half][p];
        double[] z = new double[half];
        for (int i = 0; i < half; i++) {
          int k = first + i;
          int j = other + Math.min(half - 1, (int) (u[half + i] * half));
          double s = (a - 1) * u[i] + 1;
          z[i] = s * s / a;
          for (int d = 0; d < p; d++) {
            proposals[i][d] = x[j][d] + z[i] * (x[k][d] - x[j][d]);
          }
        }
        double[] lpY = posterior.logDensity(proposals);
        solves++;
        for (int i = 0; i < half; i++) {
          int k = first + i;
          double logRatio = (p - 1) * Math.log(z[i]) + lpY[i] - lp[k];
          boolean accept = lpY[i] > Double.NEGATIVE_INFINITY && Math.log(u[2 * half + i]) < logRatio;
          if (accept) {
            x[k] = proposals[i];
            lp[k] = lpY[i];
          }
          if (step >= settings.burnIn()) {
            accepted[k] += accept ? 1 : 0;
          }
          moves++;
          acceptedTotal += accept ? 1 : 0;
        }
      }
      for (int k = 0; k < c; k++) {
        chain[step][k] = x[k].clone();
      }
      logs[step] = lp.clone();
      if (listener != null) {
        listener.step(step + 1, settings.steps(), (double) acceptedTotal / moves);
      }
    }
    double[] acceptance = new double[c];
    int kept = settings.steps() - settings.burnIn();
    for (int k = 0; k < c; k++) {
      acceptance[k] = (double) accepted[k] / kept;
    }
    return new McmcResult(chain, logs, settings.burnIn(), acceptance, posterior.evaluatedPoints() - before, solves);
  }

  /** Prior draws for every walker, drawn again where the posterior is zero (at most 100 rounds). */
  private static void initialise(Posterior posterior, Generator generator, double[][] x, double[] lp) {
    int c = x.length;
    boolean[] ok = new boolean[c];
    int missing = c;
    for (int round = 0; round < 100 && missing > 0; round++) {
      double[][] draws = posterior.prior().sample(missing, generator);
      double[] values = posterior.logDensity(draws);
      int at = 0;
      for (int k = 0; k < c; k++) {
        if (!ok[k]) {
          x[k] = draws[at];
          lp[k] = values[at];
          ok[k] = values[at] > Double.NEGATIVE_INFINITY;
          at++;
        }
      }
      missing = 0;
      for (boolean b : ok) {
        missing += b ? 0 : 1;
      }
    }
    if (missing > 0) {
      throw new InferenceException("the posterior is zero (or not a number) at every one of 100 rounds of prior draws for "
          + missing + " of " + c + " walkers; check the prior against the model's parameters");
    }
  }
}
