package org.sbgm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.inference.ConditionalDensity;
import org.sbgm.inference.EnsembleSampler;
import org.sbgm.inference.GridPosterior;
import org.sbgm.inference.LikelihoodFunction;
import org.sbgm.inference.McmcResult;
import org.sbgm.inference.ObservedLikelihood;
import org.sbgm.inference.Posterior;
import org.sbgm.inference.Prior;
import org.sbgm.torch.Torch;

/**
 * Inference of a conditional model's parameters π from observations, as {@code sbgm infer} runs it: the
 * likelihood L(π) = Σ_i log p(x_i | π) through the probability-flow ODE ({@link Model#conditionalDensity},
 * observations independent), times a prior, evaluated either as the normalised posterior on a grid
 * ({@link #grid}, P ≤ 2) or by the affine-invariant ensemble sampler ({@link #mcmc}); where the model's density
 * is known in closed form ({@link Model#exactLikelihood}: the conditional oracle, Gaussian random fields) the
 * exact posterior on a grid beside it ({@link #exactGrid}).
 *
 * <pre>{@code
 * ParameterInference inference = ParameterInference.of(model, xObs, LikelihoodSpec.defaults(), 0, null);
 * Prior prior = Prior.parse("uniform:0.5,2,2,4", inference.dimension());
 * GridPosterior.Result grid = inference.grid(prior, 20, null);
 * Optional<GridPosterior.Result> exact = inference.exactGrid(prior, 20, null);
 * }</pre>
 */
public final class ParameterInference {
  /** States (parameter points × observations) per ODE solve for vector data, by default. */
  public static final int DEFAULT_VECTOR_STATES = 4096;
  /** States per ODE solve for image data, by default. */
  public static final int DEFAULT_IMAGE_STATES = 64;
  /** Parameter points per call of a closed-form likelihood. */
  private static final int EXACT_BATCH = 1 << 14;

  private final Model model;
  private final Tensor observations;
  private final ObservedLikelihood likelihood;
  private final int states;
  private Optional<LikelihoodFunction> exact;

  private ParameterInference(Model model, Tensor observations, ObservedLikelihood likelihood, int states) {
    this.model = model;
    this.observations = observations;
    this.likelihood = likelihood;
    this.states = states;
  }

  /**
   * The inference of {@code model}'s parameters from {@code observations} ({@code [N, ...]} in data units,
   * checked against the model), with the likelihood settings {@code settings} and Hutchinson probes (when
   * used) drawn from {@code seed} and fixed for the whole run, so that L(π) is a deterministic function.
   *
   * @param states parameter points × observations per ODE solve; null for {@link #DEFAULT_VECTOR_STATES}
   *     (vectors) or {@link #DEFAULT_IMAGE_STATES} (images)
   * @throws InvalidInputException when the model is not conditioned on parameters (alone), or the observations
   *     do not fit it
   */
  public static ParameterInference of(Model model, Tensor observations, LikelihoodSpec settings, long seed,
      Integer states) {
    return of(model, observations, settings, seed, states, "the observations");
  }

  /** As above, naming the observations {@code source} in what is reported of them. */
  public static ParameterInference of(Model model, Tensor observations, LikelihoodSpec settings, long seed,
      Integer states, String source) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(observations, "observations");
    Objects.requireNonNull(settings, "settings");
    if (states != null && states < 1) {
      throw new InvalidInputException("the states per ODE solve must be at least 1, got " + states);
    }
    ConditionalDensity density = model.conditionalDensity(settings, seed);
    Tensor x = Torch.retain(model.checkData(observations, source));
    int s = states != null ? states : model.sampleShape().length == 3 ? DEFAULT_IMAGE_STATES : DEFAULT_VECTOR_STATES;
    return new ParameterInference(model, x, density.given(x, s), s);
  }

  /** P, the number of parameters. */
  public int dimension() {
    return model.conditionDim();
  }

  /** N, the number of observations. */
  public long observations() {
    return observations.size(0);
  }

  /** The states per ODE solve. */
  public int states() {
    return states;
  }

  /** The likelihood L(π) through the ODE (its {@link ObservedLikelihood#solves} and {@link ObservedLikelihood#nfe}). */
  public ObservedLikelihood likelihood() {
    return likelihood;
  }

  /** The parameters' names from the model's configuration, or θ₁, θ₂, ... */
  public List<String> parameterNames() {
    List<String> names = model.conditionNames();
    List<String> out = new ArrayList<>();
    for (int j = 0; j < dimension(); j++) {
      out.add(names != null && j < names.size() ? names.get(j) : "\u03b8" + (char) ('\u2081' + j));
    }
    return out;
  }

  /**
   * The normalised posterior on {@code pointsPerAxis}^P cell centres of the prior's box (P ≤ 2), the ODE
   * solves batched over parameter points × observations.
   */
  public GridPosterior.Result grid(Prior prior, int pointsPerAxis, GridPosterior.Listener listener) {
    Posterior posterior = posterior(prior);
    int points = (int) Math.max(1, states / observations());
    return GridPosterior.evaluate(posterior, pointsPerAxis, null, points, listener);
  }

  /** The ensemble MCMC (stretch move), each half of the walkers moving in one batched ODE solve. */
  public McmcResult mcmc(Prior prior, EnsembleSampler.Settings settings, Generator generator,
      EnsembleSampler.Listener listener) {
    return EnsembleSampler.run(posterior(prior), settings, generator, listener);
  }

  /** Whether the model's likelihood is known in closed form. */
  public boolean hasExact() {
    return exactLikelihood().isPresent();
  }

  /**
   * The exact posterior (closed-form likelihood times {@code prior}) on {@code pointsPerAxis}^P cell centres of
   * {@code box} ({@code [2][P]}: lower ends, then upper ends; null for the prior's box), P ≤ 2; empty where the
   * model's density is not known in closed form.
   */
  public Optional<GridPosterior.Result> exactGrid(Prior prior, int pointsPerAxis, double[][] box) {
    checkPrior(prior);
    return exactLikelihood().map(f -> GridPosterior.evaluate(new Posterior(f, prior), pointsPerAxis, box, EXACT_BATCH,
        null));
  }

  private Optional<LikelihoodFunction> exactLikelihood() {
    if (exact == null) {
      exact = model.exactLikelihood(observations);
    }
    return exact;
  }

  private Posterior posterior(Prior prior) {
    checkPrior(prior);
    return new Posterior(likelihood, prior);
  }

  private void checkPrior(Prior prior) {
    Objects.requireNonNull(prior, "prior");
    if (prior.dimension() != dimension()) {
      throw new InvalidInputException("the prior covers " + prior.dimension() + " parameters, but the model has "
          + dimension());
    }
  }
}
