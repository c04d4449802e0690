package org.sbgm.bench;

import java.util.Locale;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.data.Toy;
import org.sbgm.measure.PointwiseError;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.nn.Network;
import org.sbgm.nn.Networks;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.PidController;
import org.sbgm.torch.Torch;

/**
 * The reference's {@code loglik-adaptive-mlp} with the library's own adaptive solver: log p of 4096 points
 * through the augmented probability-flow ODE from t = 1e-5 to 1, Dormand–Prince 5(4) with a PID step-size
 * controller at rtol = atol = 1e-5, one Rademacher probe fixed along the path, and the divergence in
 * forward mode (Jacobian-vector products from one pass of the MLP, no autograd graph). The network is
 * freshly initialised (an adaptive solver's NFE depends on the weights); the note gives the NFE.
 *
 * <p>{@link #oracle} makes the same workload on the eight-Gaussians mixture's exact score
 * ({@link GaussianMixtureScore}, with the exact log p_T as the terminal density), where log p_ε is known
 * in closed form, and its note gives the error of the computed log-likelihoods against it.
 */
final class AdaptiveLoglikWorkload implements Workload {
  /** The reference's tolerance, rtol = atol (for experiments: the system property sbgm.bench.tolerance). */
  static final double TOLERANCE = Double.parseDouble(System.getProperty("sbgm.bench.tolerance", "1e-5"));
  static final double EPSILON = 1e-5;

  private final String name;
  private final String note;
  private final long parameters;
  private final DiffusionModel model;
  private final LogLikelihood likelihood;
  private final Tensor x;
  private final Tensor exact;
  private final Generator generator;
  private LikelihoodResult last;

  private AdaptiveLoglikWorkload(String name, String note, long parameters, DiffusionModel model, LogLikelihood likelihood,
      Tensor x, Tensor exact) {
    this.name = name;
    this.note = note;
    this.parameters = parameters;
    this.model = model;
    this.likelihood = likelihood;
    this.x = Torch.retain(x);
    this.exact = exact == null ? null : Torch.retain(exact);
    this.generator = Torch.generator(3);
  }

  private static LogLikelihood.Builder settings(Divergence divergence, double tolerance, PidController.Norm norm) {
    return LogLikelihood.builder().divergence(divergence).solver(ExplicitRungeKutta.dopri5())
        .tolerances(tolerance, tolerance).errorNorm(norm).epsilon(EPSILON);
  }

  private static String normNote(PidController.Norm norm) {
    return norm == PidController.Norm.PER_SAMPLE_MAX ? "" : ", error norm: one RMS over the batch as scipy's";
  }

  /** The MLP workload: {@code network} freshly initialised, {@code x} the points. */
  static AdaptiveLoglikWorkload mlp(String name, Network network, Tensor x, double tolerance, PidController.Norm norm) {
    return new AdaptiveLoglikWorkload(name, "(log p of 4096 points, freshly initialised MLP, adaptive Dormand-Prince "
        + "rtol=atol=" + tolerance + normNote(norm) + ", 1 Rademacher probe, forward-mode divergence",
        Networks.parameterCount(network), new ScoreModel(network, Sdes.vp()),
        settings(Divergence.hutchinson(1), tolerance, norm).build(), x, null);
  }

  /** The oracle workload on the eight-Gaussians mixture: {@code divergence} exact or Hutchinson's. */
  static AdaptiveLoglikWorkload oracle(String name, Tensor x, Divergence divergence, String what, PidController.Norm norm) {
    Sde sde = Sdes.vp();
    GaussianMixtureScore oracle = new GaussianMixtureScore(Toy.eightGaussiansMixture(), sde);
    LogLikelihood likelihood = settings(divergence, TOLERANCE, norm)
        .terminalLogDensity(z -> oracle.logDensity(z, sde.horizon())).build();
    Tensor exact = oracle.logDensity(x, EPSILON);
    return new AdaptiveLoglikWorkload(name, "(log p of 4096 eight-Gaussians points under the exact mixture score, "
        + "adaptive Dormand-Prince rtol=atol=" + TOLERANCE + normNote(norm) + ", " + what, 0, oracle, likelihood, x, exact);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long parameters() {
    return parameters;
  }

  @Override
  public String note() {
    return note + ")";
  }

  /** The note with the NFE (and, for the oracle, the error in nats) of the last run. */
  String noteAfterRuns() {
    if (last == null) {
      return note();
    }
    String s = note + String.format(Locale.ROOT, "; nfe=%d", last.nfe());
    if (exact != null) {
      PointwiseError e = PointwiseError.of(last.nats(), Torch.toDoubles(exact));
      s += String.format(Locale.ROOT, "; error vs exact log p: mean %.2e, rms %.2e, max %.2e nats", e.mean(), e.rms(),
          e.maxAbs());
    }
    return s + ")";
  }

  @Override
  public void run() {
    last = likelihood.evaluate(model, x, null, generator);
  }

  @Override
  public void close() {
    x.releaseReference();
    if (exact != null) {
      exact.releaseReference();
    }
  }
}
