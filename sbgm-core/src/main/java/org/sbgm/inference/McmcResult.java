package org.sbgm.inference;

/**
 * The draws of an ensemble MCMC run and their summaries, over the steps after the burn-in.
 *
 * @param chain the walkers' positions after each step, {@code [steps][walkers][P]}
 * @param logDensity the log posterior of each position, {@code [steps][walkers]}
 * @param burnIn the number of leading steps left out of every summary
 * @param acceptance the fraction of accepted moves per walker over the kept steps
 * @param likelihoodPoints the parameter points whose likelihood was evaluated
 * @param solves the batched likelihood evaluations (ODE solves for a model)
 */
public record McmcResult(double[][][] chain, double[][] logDensity, int burnIn, double[] acceptance, long likelihoodPoints,
    long solves) {
  /** The number of steps. */
  public int steps() {
    return chain.length;
  }

  /** The number of walkers. */
  public int walkers() {
    return chain[0].length;
  }

  /** P. */
  public int dimension() {
    return chain[0][0].length;
  }

  /** The kept draws, {@code [(steps − burnIn)·walkers][P]}, step-major. */
  public double[][] samples() {
    int kept = steps() - burnIn;
    double[][] out = new double[kept * walkers()][];
    for (int s = 0; s < kept; s++) {
      for (int w = 0; w < walkers(); w++) {
        out[s * walkers() + w] = chain[burnIn + s][w].clone();
      }
    }
    return out;
  }

  /** The trace of component j per walker over the kept steps, {@code [walkers][steps − burnIn]}. */
  public double[][] traces(int j) {
    int kept = steps() - burnIn;
    double[][] out = new double[walkers()][kept];
    for (int w = 0; w < walkers(); w++) {
      for (int s = 0; s < kept; s++) {
        out[w][s] = chain[burnIn + s][w][j];
      }
    }
    return out;
  }

  /** The posterior mean of each component. */
  public double[] mean() {
    double[][] x = samples();
    double[] m = new double[dimension()];
    for (double[] row : x) {
      for (int j = 0; j < m.length; j++) {
        m[j] += row[j] / x.length;
      }
    }
    return m;
  }

  /** The posterior covariance ({@code N − 1} in the denominator). */
  public double[][] covariance() {
    double[][] x = samples();
    double[] m = mean();
    int p = dimension();
    double[][] c = new double[p][p];
    for (double[] row : x) {
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          c[i][j] += (row[i] - m[i]) * (row[j] - m[j]) / (x.length - 1);
        }
      }
    }
    return c;
  }

  /** The posterior standard deviation of each component. */
  public double[] sd() {
    return GridPosterior.Result.sqrtDiagonal(covariance());
  }

  /** The mean acceptance fraction over walkers. */
  public double meanAcceptance() {
    double s = 0;
    for (double a : acceptance) {
      s += a;
    }
    return s / acceptance.length;
  }

  /** Split R̂ of each component over the walkers ({@link ChainDiagnostics#splitRhat}). */
  public double[] rhat() {
    double[] r = new double[dimension()];
    for (int j = 0; j < r.length; j++) {
      r[j] = ChainDiagnostics.splitRhat(traces(j));
    }
    return r;
  }

  /** The effective sample size of each component ({@link ChainDiagnostics#effectiveSampleSize}). */
  public double[] ess() {
    double[] e = new double[dimension()];
    for (int j = 0; j < e.length; j++) {
      e[j] = ChainDiagnostics.effectiveSampleSize(traces(j));
    }
    return e;
  }
}
