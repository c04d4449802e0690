package org.sbgm.likelihood;

import java.util.Objects;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ReverseTime;
import org.sbgm.score.ScoreTangents;
import org.sbgm.sde.Sde;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.Integrator;
import org.sbgm.solve.PidController;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.Solution;
import org.sbgm.solve.Solver;
import org.sbgm.solve.StepObserver;
import org.sbgm.solve.StepSizeController;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.Torch;

/**
 * Exact log-likelihoods through the probability-flow ODE (Song et al. 2021, arXiv 2011.13456,
 * Appendix D.2). With F(x, t) = f(x, t) - ½ g(t)² s(x, t), the augmented state (x, Δ) obeys
 * dx/dt = F, dΔ/dt = ∇·F from t = ε to T with x(ε) = x, Δ(ε) = 0, and then
 * log p_ε(x) = log p_T(x(T)) + Δ(T).
 *
 * <p>The divergence is exact (D vector-Jacobian products) or Hutchinson's estimate (probes fixed
 * along the path). Works on any {@link DiffusionModel}, whose own SDE defines f, g, T and the prior;
 * parameter gradients are never touched. For a model that {@linkplain DiffusionModel#supportsTangents()
 * supports tangents} (a {@link org.sbgm.score.ScoreModel} on an {@link org.sbgm.nn.Mlp} or
 * {@link org.sbgm.nn.ResidualMlp}, also behind decorators such as {@link org.sbgm.score.OnDevice}) the
 * products come in forward mode from one pass without a graph; otherwise from autograd. The augmented
 * ODE runs through the one integration loop ({@link Integrator}).
 */
public final class LogLikelihood {
  private final Divergence divergence;
  private final Solver<VectorField> solver;
  private final StepSizeController controller;
  private final double epsilon;
  private final int maxSteps;
  private final BiFunction<Tensor, Condition, Tensor> terminal;
  private final StepObserver observer;

  private LogLikelihood(Builder b) {
    this(b.divergence, b.solver, b.controller != null ? b.controller : PidController.of(b.rtol, b.atol).withNorm(b.norm), b.epsilon,
        b.maxSteps, b.terminal, b.observer);
  }

  private LogLikelihood(Divergence divergence, Solver<VectorField> solver, StepSizeController controller, double epsilon,
      int maxSteps, BiFunction<Tensor, Condition, Tensor> terminal, StepObserver observer) {
    this.divergence = divergence;
    this.solver = solver;
    this.controller = controller;
    this.epsilon = epsilon;
    this.maxSteps = maxSteps;
    this.terminal = terminal;
    this.observer = observer;
  }

  /** The same settings with another divergence (e.g. {@link Divergence#fixedFor} of this one). */
  public LogLikelihood withDivergence(Divergence d) {
    return new LogLikelihood(Objects.requireNonNull(d, "divergence"), solver, controller, epsilon, maxSteps, terminal, observer);
  }

  /** The same settings reporting each accepted step to {@code o} (null: none). */
  public LogLikelihood withObserver(StepObserver o) {
    return new LogLikelihood(divergence, solver, controller, epsilon, maxSteps, terminal, o);
  }

  /**
   * A builder. Defaults: exact divergence, Dopri5 with rtol = atol = 1e-5 (the settings of score_sde),
   * ε = 1e-5, at most 100000 steps.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The augmented probability-flow vector field over the flattened state [B, D + 1]: in forward mode
   * when the score gives Jacobian-vector products and the estimator uses them, else through autograd.
   */
  static VectorField augmentedField(DiffusionModel model, long[] shape, Condition condition, Divergence.Estimator estimator) {
    if (model.supportsTangents() && estimator.supportsJacobianProducts()) {
      return forwardModeField(model, shape, condition, estimator);
    }
    return autogradField(model, shape, condition, estimator);
  }

  /** The field with ∇·F from vector-Jacobian products of an autograd graph of F. */
  static VectorField autogradField(DiffusionModel model, long[] shape, Condition condition, Divergence.Estimator estimator) {
    long b = shape[0];
    long d = Torch.perSampleSizeOf(shape);
    return (t, y) -> {
      try (AutoGradMode on = new AutoGradMode(true)) {
        Tensor x = y.narrow(1, 0, d).detach().requires_grad_(true);
        Tensor f = ReverseTime.probabilityFlowDrift(model, x.reshape(shape), t, condition).reshape(b, d);
        Tensor div = estimator.divergence(f, x);
        return torch.cat(new TensorVector(f.detach(), div.unsqueeze(1)), 1);
      }
    };
  }

  /**
   * The field with ∇·F from Jacobian-vector products in forward mode, without an autograd graph. The
   * drift of every {@link Sde} is linear in x (its transition kernel is N(m(t) x₀, σ(t)² I), so
   * f = (d ln m/dt) x), hence (∂F/∂x) v = f(v, t) - ½ g(t)² (∂s/∂x) v, and the score's products come with
   * the score from one pass of the network.
   */
  static VectorField forwardModeField(DiffusionModel model, long[] shape, Condition condition, Divergence.Estimator estimator) {
    Sde sde = model.sde();
    long b = shape[0];
    long d = Torch.perSampleSizeOf(shape);
    return (t, y) -> {
      try (NoGradGuard off = new NoGradGuard()) {
        Tensor x = y.narrow(1, 0, d).reshape(shape);
        Tensor times = Torch.sharedTime(b, t, x);
        double g = sde.diffusion(t);
        Scalar half = Torch.scalar(0.5 * g * g);
        Tensor[] field = new Tensor[1];
        Tensor div = estimator.divergence(v -> {
          long k = v.size(0);
          ScoreTangents s = model.scoreWithTangents(x, times, condition, v.reshape(tangentShape(k, shape)));
          if (field[0] == null) {
            field[0] = sde.drift(x, t).sub(s.score().mul(half)).reshape(b, d);
          }
          // f is linear: its tangent is the drift at v (as a batch of K·B states)
          Tensor drift = sde.drift(v.reshape(batchedShape(k, shape)), t).reshape(k, b, d);
          return drift.sub(s.jvp().reshape(k, b, d).mul(half));
        });
        return torch.cat(new TensorVector(field[0], div.unsqueeze(1)), 1);
      }
    };
  }

  /** [K, B, ...] for K tangents of states shaped {@code shape}. */
  private static long[] tangentShape(long k, long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = k;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  /** [K·B, ...]: K tangents as one batch of states. */
  private static long[] batchedShape(long k, long[] shape) {
    long[] s = shape.clone();
    s[0] = k * shape[0];
    return s;
  }

  /**
   * log p_ε(x) per sample of {@code x} ({@code [B, ...]}) under {@code model} (its score and its SDE).
   * {@code generator} draws Hutchinson probes (it may be {@code null} for the exact divergence).
   *
   * @throws InvalidInputException when x has no batch dimension or non-finite values, or ε does not lie
   *     below the horizon T of the model's SDE
   * @throws org.sbgm.solve.IntegrationException when the augmented ODE cannot be integrated
   */
  public LikelihoodResult evaluate(DiffusionModel model, Tensor x, Condition condition, Generator generator) {
    Sde sde = check(model, x);
    long[] shape = Torch.shape(x);
    long b = shape[0];
    long d = Torch.perSampleSizeOf(shape);
    try (PointerScope scope = new PointerScope()) {
      Tensor flat = x.detach().reshape(b, d);
      try (Divergence.Estimator estimator = divergence.begin(flat, generator)) {
        Tensor y0 = torch.cat(new TensorVector(flat, torch.zeros(new long[] {b, 1}, flat.options())), 1);
        VectorField field = augmentedField(model, shape, condition == null ? Condition.NONE : condition, estimator);
        Solution sol = Integrator.solve(field, y0, epsilon, sde.horizon(), solver, controller, SaveAt.finalOnly(), maxSteps,
            observer);
        Tensor yT = sol.y();
        Tensor xT = yT.narrow(1, 0, d).reshape(shape);
        Tensor prior = terminal == null ? sde.priorLogDensity(xT) : terminal.apply(xT, condition == null ? Condition.NONE : condition);
        Tensor delta = yT.select(1, d);
        double[] priorNats = Torch.toDoubles(prior);
        double[] nats = Torch.toDoubles(prior.add(delta));
        return new LikelihoodResult(nats, priorNats, d, Math.toIntExact(sol.nfe()), sol.accepted());
      }
    }
  }

  /**
   * log p_ε(x) per sample of {@code x} as a tensor {@code [B]} attached to the autograd graph of what the
   * score depends on besides x, in particular the condition's tensors: with π requiring gradients,
   * {@code torch.grad} of the result gives ∂ log p_ε(x | π)/∂π. The augmented ODE is the same as in
   * {@link #evaluate}, but always through autograd, with the divergence's vector-Jacobian products taken
   * with {@code create_graph} and the graph kept across every step of the solve (discretise, then
   * differentiate: the derivative of the computed value, the step sizes held fixed), so it costs more time
   * and memory than {@link #evaluate}; suited to small models and batches. The result and the graph belong
   * to the caller's pointer scope.
   *
   * @throws UnsupportedOperationException when the divergence has no differentiable form
   */
  public Tensor differentiableLogDensity(DiffusionModel model, Tensor x, Condition condition, Generator generator) {
    Sde sde = check(model, x);
    long[] shape = Torch.shape(x);
    long b = shape[0];
    long d = Torch.perSampleSizeOf(shape);
    Condition c = condition == null ? Condition.NONE : condition;
    Tensor flat = x.detach().reshape(b, d);
    try (Divergence.Estimator estimator = divergence.begin(flat, generator); AutoGradMode on = new AutoGradMode(true)) {
      VectorField field = (t, y) -> {
        Tensor state = y.narrow(1, 0, d);
        Tensor xs = state.requires_grad() ? state : state.detach().requires_grad_(true);
        Tensor f = ReverseTime.probabilityFlowDrift(model, xs.reshape(shape), t, c).reshape(b, d);
        Tensor div = estimator.differentiableDivergence(f, xs);
        return torch.cat(new TensorVector(f, div.unsqueeze(1)), 1);
      };
      Tensor y0 = torch.cat(new TensorVector(flat, torch.zeros(new long[] {b, 1}, flat.options())), 1);
      Solution sol = Integrator.solve(field, y0, epsilon, sde.horizon(), solver, controller, SaveAt.finalOnly(), maxSteps,
          observer);
      Tensor xT = sol.y().narrow(1, 0, d).reshape(shape);
      Tensor prior = terminal == null ? sde.priorLogDensity(xT) : terminal.apply(xT, c);
      return prior.add(sol.y().select(1, d));
    }
  }

  /** The model's SDE, after checking ε against its horizon and x for a batch dimension and finite values. */
  private Sde check(DiffusionModel model, Tensor x) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(x, "x");
    Sde sde = model.sde();
    if (!(epsilon < sde.horizon())) {
      throw new InvalidInputException("epsilon = " + epsilon + " must lie below the horizon T = " + sde.horizon()
          + " of the model's SDE.");
    }
    if (x.dim() < 2) {
      throw new InvalidInputException("x must be shaped [B, ...] with a batch dimension, got rank " + x.dim());
    }
    if (!Torch.allFinite(x)) {
      throw new InvalidInputException("x contains NaN or infinite values; log-likelihoods need finite data");
    }
    return sde;
  }

  public Divergence divergence() {
    return divergence;
  }

  public double epsilon() {
    return epsilon;
  }

  /** Options of {@link LogLikelihood}. */
  public static final class Builder {
    private Divergence divergence = Divergence.exact();
    private Solver<VectorField> solver = ExplicitRungeKutta.dopri5();
    private StepSizeController controller;
    private double rtol = 1e-5;
    private double atol = 1e-5;
    private PidController.Norm norm = PidController.Norm.PER_SAMPLE_MAX;
    private double epsilon = 1e-5;
    private int maxSteps = 100_000;
    private BiFunction<Tensor, Condition, Tensor> terminal;
    private StepObserver observer;

    private Builder() {}

    public Builder divergence(Divergence divergence) {
      this.divergence = Objects.requireNonNull(divergence, "divergence");
      return this;
    }

    /** The ODE solver (an adaptive controller needs one with an error estimate). */
    public Builder solver(Solver<VectorField> solver) {
      this.solver = Objects.requireNonNull(solver, "solver");
      return this;
    }

    /** An explicit step-size controller (fixed steps, or a PID controller with its own tolerances). */
    public Builder controller(StepSizeController controller) {
      this.controller = Objects.requireNonNull(controller, "controller");
      return this;
    }

    /** Tolerances of the default adaptive controller. */
    public Builder tolerances(double rtol, double atol) {
      if (!(rtol > 0) || !(atol > 0) || !Double.isFinite(rtol) || !Double.isFinite(atol)) {
        throw new InvalidInputException("rtol and atol must be positive finite numbers, got rtol=" + rtol + ", atol=" + atol);
      }
      this.rtol = rtol;
      this.atol = atol;
      return this;
    }

    /**
     * The error norm of the default adaptive controller: {@link PidController.Norm#PER_SAMPLE_MAX} (the default;
     * the tolerances hold for every point) or {@link PidController.Norm#WHOLE_STATE_RMS} (one RMS over the
     * batch, as score_sde's scipy solve and diffrax's {@code rms_norm}: fewer evaluations, and the tolerances
     * then hold on average over the batch).
     */
    public Builder errorNorm(PidController.Norm norm) {
      if (norm == null) {
        throw new InvalidInputException("errorNorm must be PER_SAMPLE_MAX or WHOLE_STATE_RMS, got null");
      }
      this.norm = norm;
      return this;
    }

    /**
     * The start time ε of the ODE (and of the density p_ε that is reported); it must also lie below the
     * horizon T of the model's SDE, which {@link LogLikelihood#evaluate} checks.
     */
    public Builder epsilon(double epsilon) {
      if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
        throw new InvalidInputException("epsilon must be a positive finite time, got " + epsilon);
      }
      this.epsilon = epsilon;
      return this;
    }

    /**
     * Sees every accepted step of the augmented ODE (time from ε to T, state [B, D + 1]), e.g. for a
     * progress bar; the score is then still used as it is (a score wrapped to report progress would hide
     * its forward-mode tangents).
     */
    public Builder observer(StepObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public Builder maxSteps(int maxSteps) {
      if (maxSteps < 1) {
        throw new InvalidInputException("maxSteps must be at least 1, got " + maxSteps);
      }
      this.maxSteps = maxSteps;
      return this;
    }

    /**
     * The log-density of x(T) used in place of the SDE's prior, {@code [B, ...] -> [B]}. The prior
     * N(0, I) is only approximately p_T; with an exact p_T (the Gaussian-mixture oracle's) the result is
     * exact up to the solver's error, which is how solver settings are validated.
     */
    public Builder terminalLogDensity(java.util.function.UnaryOperator<Tensor> logDensity) {
      Objects.requireNonNull(logDensity, "logDensity");
      this.terminal = (z, condition) -> logDensity.apply(z);
      return this;
    }

    /**
     * The log-density of x(T) given the condition, {@code ([B, ...], condition) -> [B]}, in place of the
     * SDE's prior: the exact p_T(x | π) of a conditional oracle
     * ({@link org.sbgm.score.ConditionalGaussianMixtureScore}).
     */
    public Builder conditionalTerminalLogDensity(BiFunction<Tensor, Condition, Tensor> logDensity) {
      this.terminal = Objects.requireNonNull(logDensity, "logDensity");
      return this;
    }

    public LogLikelihood build() {
      return new LogLikelihood(this);
    }
  }
}
