package org.sbgm.inference;

import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Transform;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A conditional diffusion model as a density: (x, π) ↦ log p(x | π) in data units, through the
 * probability-flow ODE ({@link LogLikelihood}), and its gradient ∂ log p(x | π)/∂π by autograd through the
 * solve ({@link LogLikelihood#differentiableLogDensity}). With y = T(x) the data transform and c = M(π) the
 * map from the user's parameters to the model's condition (a standardisation, say),
 * log p(x | π) = log p_model(T(x) | M(π)) + log |det ∂T/∂x|.
 *
 * <p>Calls are deterministic: Hutchinson probes come from a generator seeded with the density's seed at
 * every call (the probes of a row then depend on its position in the call). {@link #given} fixes the data
 * to observations x_1..x_N and gives the likelihood of π, L(π) = Σ_i log p(x_i | π), with the probes of
 * each observation fixed for the whole run and shared by every π, so that L is one deterministic function
 * of π (an MCMC target), evaluated for many π in one batched solve.
 */
public final class ConditionalDensity {
  /** The user's parameters {@code [B, P]} (in the model's dtype) to the model's condition; differentiable. */
  @FunctionalInterface
  public interface ConditionMap {
    /** The condition of each row of {@code parameters}. */
    Condition apply(Tensor parameters);
  }

  /**
   * Log-densities and their gradients.
   *
   * @param values log p(x_b | π_b) per row
   * @param gradient ∂ log p(x_b | π_b)/∂π_b, {@code [B][P]}
   */
  public record Gradient(double[] values, double[][] gradient) {}

  private final DiffusionModel model;
  private final LogLikelihood likelihood;
  private final Transform data;
  private final ConditionMap map;
  private final int parameters;
  private final long[] sampleShape;
  private final DType dtype;
  private final long seed;

  /**
   * @param model the conditional model (its score and SDE, in model units)
   * @param likelihood the ODE settings (divergence, tolerances, ε, terminal density)
   * @param data T, data units to model units (with its log-Jacobian); deterministic
   * @param map M, parameters to the model's condition
   * @param parameters P
   * @param sampleShape the shape of one x
   * @param dtype the dtype the model computes in
   * @param seed the seed of Hutchinson's probes
   */
  public ConditionalDensity(DiffusionModel model, LogLikelihood likelihood, Transform data, ConditionMap map, int parameters,
      long[] sampleShape, DType dtype, long seed) {
    this.model = Objects.requireNonNull(model, "model");
    this.likelihood = Objects.requireNonNull(likelihood, "likelihood");
    this.data = Objects.requireNonNull(data, "data");
    this.map = Objects.requireNonNull(map, "map");
    if (parameters < 1) {
      throw new InvalidInputException("a conditional density needs a model conditioned on parameters (P >= 1), got P = "
          + parameters);
    }
    this.parameters = parameters;
    this.sampleShape = sampleShape.clone();
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.seed = seed;
  }

  /** P. */
  public int dimension() {
    return parameters;
  }

  /** The shape of one x. */
  public long[] sampleShape() {
    return sampleShape.clone();
  }

  /** log p(x_b | π_b) for each row: x {@code [B, ...]} in data units, π {@code [B, P]} or {@code [1, P]} (for all). */
  public double[] logDensity(Tensor x, Tensor parameters) {
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed)) {
      Tensor xs = checkData(x);
      Tensor pi = checkParameters(parameters, xs.size(0));
      return evaluate(likelihood, data.forward(xs), data.logAbsDetJacobian(xs), pi, g, null);
    }
  }

  /** log p(x_b | π_b) and ∂/∂π_b for each row (autograd through the ODE solve; see the class comment). */
  public Gradient logDensityAndGradient(Tensor x, Tensor parameters) {
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed)) {
      Tensor xs = checkData(x);
      Tensor pi = checkParameters(parameters, xs.size(0));
      return gradient(likelihood, data.forward(xs), data.logAbsDetJacobian(xs), pi, g);
    }
  }

  /**
   * The likelihood of π for the observations {@code x} ({@code [N, ...]}, data units), L(π) = Σ_i log p(x_i | π),
   * evaluated for up to {@code batch} states (π rows × N) per ODE solve.
   */
  public ObservedLikelihood given(Tensor x, int batch) {
    if (batch < 1) {
      throw new InvalidInputException("the batch size must be at least 1, got " + batch);
    }
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed)) {
      Tensor xs = checkData(x);
      long n = xs.size(0);
      long d = Torch.perSampleSize(xs);
      LogLikelihood fixed = likelihood.withDivergence(likelihood.divergence().fixedFor(n, d, g));
      double jacobian = Arrays.stream(Torch.toDoubles(data.logAbsDetJacobian(xs))).sum();
      return new ObservedLikelihood(this, fixed, Torch.retain(data.forward(xs).contiguous()), jacobian,
          (int) Math.max(1, batch / n));
    }
  }

  /** Σ over blocks: rows of {@code y} [N·M] with π [M·N] (each π row repeated N times), plus the log-Jacobian. */
  double[] evaluate(LogLikelihood ll, Tensor y, Tensor logJacobian, Tensor pi, Generator g, java.util.function.LongConsumer nfe) {
    LikelihoodResult r = ll.evaluate(model, y, map.apply(pi.to(dtype.scalarType())), g);
    if (nfe != null) {
      nfe.accept(r.nfe());
    }
    double[] jac = Torch.toDoubles(logJacobian);
    double[] out = new double[r.nats().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.nats()[i] + jac[i];
    }
    return out;
  }

  /** Values and ∂/∂π of each row; π float64 {@code [B, P]} (made a leaf here). */
  Gradient gradient(LogLikelihood ll, Tensor y, Tensor logJacobian, Tensor pi, Generator g) {
    Tensor leaf = pi.to(torch.ScalarType.Double).detach().requires_grad_(true);
    Tensor value;
    Tensor grad;
    try (org.bytedeco.pytorch.AutoGradMode on = new org.bytedeco.pytorch.AutoGradMode(true)) {
      value = ll.differentiableLogDensity(model, y, map.apply(leaf.to(dtype.scalarType())), g);
      grad = torch.grad(new TensorVector(value.sum()), new TensorVector(leaf), new TensorVector(), new BoolOptional(false),
          false, true).get(0);
    }
    double[] v = Torch.toDoubles(value.detach().add(logJacobian.to(value.scalar_type())));
    double[] gr = grad.defined() ? Torch.toDoubles(grad) : new double[v.length * parameters];
    double[][] out = new double[v.length][parameters];
    for (int b = 0; b < v.length; b++) {
      System.arraycopy(gr, b * parameters, out[b], 0, parameters);
    }
    return new Gradient(v, out);
  }

  DType dtype() {
    return dtype;
  }

  /** x as {@code [N, sampleShape...]} in the model's dtype, finite. */
  Tensor checkData(Tensor x) {
    long[] got = Torch.shape(x);
    if (got.length != sampleShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), sampleShape)
        || got[0] < 1) {
      throw new InvalidInputException("the data have shape " + Arrays.toString(got) + ", but the model's samples are "
          + "[N, " + Arrays.toString(sampleShape).replaceAll("[\\[\\]]", "") + "] with N >= 1");
    }
    Tensor converted = x.to(dtype.scalarType()).contiguous();
    if (!Torch.allFinite(converted)) {
      throw new InvalidInputException("the data hold NaN or infinite values");
    }
    return converted;
  }

  /** π as float64 {@code [rows, P]} (one row repeated), finite. */
  Tensor checkParameters(Tensor pi, long rows) {
    if (pi == null || pi.dim() != 2 || pi.size(1) != parameters || (pi.size(0) != rows && pi.size(0) != 1)) {
      throw new InvalidInputException("the parameters must be [" + rows + ", " + parameters + "] (one row per point) or [1, "
          + parameters + "], got " + (pi == null ? "none" : Arrays.toString(Torch.shape(pi))));
    }
    Tensor p = pi.to(torch.ScalarType.Double);
    if (!Torch.allFinite(p)) {
      throw new InvalidInputException("the parameters hold NaN or infinite values");
    }
    return p.size(0) == rows ? p : p.expand(rows, parameters).contiguous();
  }
}
