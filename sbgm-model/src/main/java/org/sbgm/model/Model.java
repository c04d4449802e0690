package org.sbgm.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.data.Datasets;
import org.sbgm.data.GaussianRandomField;
import org.sbgm.data.Transform;
import org.sbgm.distributed.Group;
import org.sbgm.distributed.Shards;
import org.sbgm.inference.ConditionalDensity;
import org.sbgm.inference.LikelihoodFunction;
import org.sbgm.inverse.ForwardOperator;
import org.sbgm.inverse.GaussianMixturePosterior;
import org.sbgm.inverse.Observation;
import org.sbgm.inverse.PosteriorSampler;
import org.sbgm.inverse.PosteriorSamples;
import org.sbgm.inverse.ScaledInput;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.measure.PosteriorComparison;
import org.sbgm.nn.Network;
import org.sbgm.sample.Sampler;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.score.Guided;
import org.sbgm.score.OnDevice;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * A model you can use: a {@link DiffusionModel} (score and SDE, in the units it was trained in) with
 * the map from data units to those units, the shape of one sample and what it is conditioned on.
 * {@link #load} reads a directory written by {@code sbgm train} (or {@link Training}); {@link #oracle}
 * wraps the exact score of a Gaussian mixture. Samples and log-likelihoods come back in data units:
 * samples are mapped back through the inverse transform, and log-likelihoods include the transform's
 * log |det ∂T/∂x| (Song et al. 2021, arXiv 2011.13456, Appendix D.2), with bits/dim for 8-bit images.
 *
 * <p>Everything is batched and reports progress. Sampling, posterior sampling and log-likelihoods cut
 * their rows into chunks of the batch size, each drawing from its own generator derived from the caller's
 * seed ({@link org.sbgm.torch.Seeds.Stream#SAMPLE}, {@link org.sbgm.torch.Seeds.Stream#LIKELIHOOD}), and
 * shard the chunks over the ranks of a {@link Group}: the results are the same, bit for bit, for any
 * number of ranks ({@link Shards}).
 */
public final class Model {
  private final DiffusionModel diffusion;
  private final Network network;
  private final GaussianMixtureScore oracle;
  private final ConditionalGaussianMixtureScore conditionalOracle;
  private final ModelSpec spec;
  private final Path directory;
  private final long[] sampleShape;
  private final TransformSpec transform;
  private final ModelCondition conditioning;

  private Model(DiffusionModel diffusion, Network network, GaussianMixtureScore oracle,
      ConditionalGaussianMixtureScore conditionalOracle, ModelSpec spec, Path directory, long[] sampleShape,
      TransformSpec transform) {
    this.diffusion = diffusion;
    this.network = network;
    this.oracle = oracle;
    this.conditionalOracle = conditionalOracle;
    this.spec = spec;
    this.directory = directory;
    this.sampleShape = sampleShape.clone();
    this.transform = transform;
    DType dtype = oracle != null || conditionalOracle != null ? DType.FLOAT64 : DType.FLOAT32;
    this.conditioning = spec != null
        ? new ModelCondition(spec.conditionDim(), spec.conditionNames(), spec.parametersTransform(), spec.imageShape(),
            spec.imageTransform(), dtype)
        : new ModelCondition(conditionalOracle == null ? 0 : conditionalOracle.conditionDim(), null, null, null, null, dtype);
  }

  /** This model with another diffusion model (a decorator of this one's). */
  private Model with(DiffusionModel decorated) {
    return new Model(decorated, network, oracle, conditionalOracle, spec, directory, sampleShape, transform);
  }

  /** Verifies and loads the model directory {@code dir} (its network frozen in eval mode, on the CPU). */
  public static Model load(Path dir) {
    Torch.init();
    ModelSpec spec = ModelDirectory.verifyAndReadSpec(dir);
    Network network = ModelDirectory.loadNetwork(dir, spec);
    return trained(spec, network, dir);
  }

  /** The model of a spec and its (trained, frozen) network; {@code dir} may be null. */
  static Model trained(ModelSpec spec, Network network, Path dir) {
    ScoreModel score = new ScoreModel(network, spec.sde().create(), Parameterisation.parse(spec.parameterisation()));
    return new Model(score, network, null, null, spec, dir, spec.sampleShape(), spec.transform());
  }

  /** The exact score of {@code mixture} under {@code sde}: data units are model units, computed in float64. */
  public static Model oracle(GaussianMixture mixture, Sde sde) {
    GaussianMixtureScore exact = new GaussianMixtureScore(mixture, sde);
    return new Model(exact, null, exact, null, null, null, new long[] {mixture.dimension()}, TransformSpec.none());
  }

  /**
   * The exact conditional oracle p(x | π) = Σ w_k N(μ_k + A_k π, Σ_k) ({@link ConditionalGaussianMixtureScore}):
   * data and parameter units are model units, computed in float64, with the exact p_T(x | π) as terminal density.
   */
  public static Model oracle(ConditionalGaussianMixtureScore exact) {
    return new Model(exact, null, null, exact, null, null, new long[] {exact.mixture().dimension()}, TransformSpec.none());
  }

  /**
   * The oracle of the mixture in a JSON file ({@link MixtureFile}) under {@code sde}; a file with
   * {@code "maps"} gives the conditional oracle.
   */
  public static Model oracle(Path mixtureFile, Sde sde) {
    MixtureFile.Read read = MixtureFile.readAny(mixtureFile);
    return read.maps() == null ? oracle(read.mixture(), sde)
        : oracle(MixtureFile.conditional(mixtureFile, read, sde));
  }

  /**
   * This model evaluating its network on {@code device} (the network is moved there) while samplers and
   * solvers keep their state on the CPU; forward-mode tangents are kept ({@link OnDevice}).
   */
  public Model on(Device device) {
    if (device == null || device.is_cpu() || network == null) {
      return this;
    }
    network.module().to(device, false);
    return with(new OnDevice(diffusion, device));
  }

  /**
   * This model with classifier-free guidance of weight {@code weight} ({@link Guided}): samples and
   * likelihoods then use (1 + w) s(x | c) − w s(x | ∅). Only a model trained with condition dropout
   * ({@code network.conditionDropout > 0}) has the unconditional score s(x | ∅); others are refused.
   */
  public Model guided(double weight) {
    if (!conditioning.isConditional()) {
      throw new InvalidInputException("guidance needs a conditional model, but this model is unconditional");
    }
    if (spec == null) {
      throw new InvalidInputException("guidance needs a model trained with condition dropout; the exact oracle has no "
          + "unconditional score");
    }
    double p = spec.network().conditionDropout();
    if (!(p > 0)) {
      throw new InvalidInputException("guidance needs a model trained with condition dropout (network.conditionDropout > 0), "
          + "but this model was trained with conditionDropout " + p);
    }
    return with(new Guided(diffusion, weight));
  }

  /** The diffusion model in model units (what samplers and {@link LogLikelihood} take). */
  public DiffusionModel diffusionModel() {
    return diffusion;
  }

  /** The forward SDE. */
  public Sde sde() {
    return diffusion.sde();
  }

  /** The description read from the directory; empty for an oracle. */
  public Optional<ModelSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /** The directory it was loaded from or trained into; empty for an oracle. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** The network; empty for an oracle. */
  public Optional<Network> network() {
    return Optional.ofNullable(network);
  }

  /** The exact mixture score when this is an (unconditional) oracle; empty otherwise. */
  public Optional<GaussianMixtureScore> oracle() {
    return Optional.ofNullable(oracle);
  }

  /** The exact conditional mixture score when this is a conditional oracle; empty otherwise. */
  public Optional<ConditionalGaussianMixtureScore> conditionalOracle() {
    return Optional.ofNullable(conditionalOracle);
  }

  /** True for an exact oracle (conditional or not). */
  public boolean isOracle() {
    return oracle != null || conditionalOracle != null;
  }

  /** The shape of one sample (without the batch dimension). */
  public long[] sampleShape() {
    return sampleShape.clone();
  }

  /** D, the number of values per sample. */
  public long dimension() {
    return Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
  }

  /** P, the number of condition parameters (0 when unconditional). */
  public int conditionDim() {
    return conditioning.parameters();
  }

  /** What the model is conditioned on and how conditions in the user's units become the model's. */
  public ModelCondition conditioning() {
    return conditioning;
  }

  /** The names of the condition parameters, or null when the model does not name them. */
  public List<String> conditionNames() {
    return spec == null ? null : spec.conditionNames();
  }

  /** True when the data are 8-bit images (likelihoods then also come in bits/dim). */
  public boolean isImage() {
    return transform.isImage();
  }

  /** The fitted data transform's description. */
  public TransformSpec transformSpec() {
    return transform;
  }

  /** The data transform y = T(x); {@code dequantisation} draws image dequantisation noise (null: u = ½). */
  public Transform transform(Generator dequantisation) {
    return transform.create(dequantisation);
  }

  /** The dtype the model computes in: float64 for the oracles, float32 for networks. */
  public DType dtype() {
    return isOracle() ? DType.FLOAT64 : DType.FLOAT32;
  }

  /**
   * The condition π for {@code rows} samples in model units (the fitted parameter transform applied),
   * checked against the model: null for an unconditional model (anything else is refused),
   * {@code conditionDim()} finite values for one conditioned on parameters.
   */
  public Condition condition(double[] parameters, long rows) {
    return conditioning.of(parameters, rows);
  }

  /**
   * The condition of a run in model units from arrays in the user's units: parameters π {@code [1 or N, P]}
   * (a vector of N is P = 1) and an image condition y {@code [1 or N, ...]} shaped like the training images,
   * either null when the model does not take it. One row is used for every sample, N rows give one per sample.
   */
  public Condition conditions(Tensor parameters, Tensor image) {
    return conditions(parameters, "the parameter condition", image, "the image condition");
  }

  /** {@link #conditions(Tensor, Tensor)} with the arrays' sources named in messages (e.g. a file). */
  public Condition conditions(Tensor parameters, String parametersSource, Tensor image, String imageSource) {
    return conditioning.of(parameters, parametersSource, image, imageSource);
  }

  /**
   * The condition of a run from files (.npy, .npz with one array, or .csv), either path null: see
   * {@link #conditions(Tensor, Tensor)}. Messages name the file and the shapes.
   */
  public Condition conditions(Path parametersFile, Path imageFile) {
    Tensor p = parametersFile == null ? null : ConditionFiles.read(parametersFile, "parameter");
    Tensor y = imageFile == null ? null : ConditionFiles.read(imageFile, "image condition");
    return conditioning.of(p, "parameter file '" + parametersFile + "'", y, "image condition file '" + imageFile + "'");
  }

  /** {@code n} samples in data units from one run of {@code sampler} (no batching). */
  public Samples sample(Sampler sampler, long n, Condition condition, Generator generator) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Samples drawn = sampler.sample(diffusion, n, sampleShape, condition, generator);
      Tensor x = transform.create(null).inverse(drawn.x());
      return new Samples(x, drawn.nfe());
    }
  }

  /**
   * {@code n} samples in data units (float32), drawn in chunks of {@code batch} in this process
   * ({@link Group#single()}): see {@link #sample(SamplerSpec, long, int, Condition, long, SamplingListener, Group)}.
   */
  public ModelSamples sample(SamplerSpec sampler, long n, int batch, Condition condition, long seed,
      SamplingListener listener) {
    return sample(sampler, n, batch, condition, seed, listener, Group.single());
  }

  /**
   * {@code n} samples in data units (float32), drawn in chunks of {@code batch} rows (the last one shorter)
   * and sharded over the ranks of {@code group} ({@link Shards}): chunk i draws from its own generator,
   * seeded by {@code Seeds.derive(seed, SAMPLE, i)}, in its own solve (adaptive steps and every batch
   * coupling stay within the chunk), so the samples depend on {@code seed} and {@code batch} only, not on
   * the number of ranks: N ranks give the same samples, bit for bit, as one. Every rank returns all
   * {@code n} samples in order; the NFE is summed over the ranks. {@code condition} holds one row (for
   * every sample) or {@code n} rows. The listener sees this rank's chunks (progress of its chunks, the
   * states of its first chunk). Sampling runs with grad mode off.
   */
  public ModelSamples sample(SamplerSpec sampler, long n, int batch, Condition condition, long seed,
      SamplingListener listener, Group group) {
    check(n >= 1, "the number of samples must be at least 1, got " + n);
    check(batch >= 1, "the batch size must be at least 1, got " + batch);
    double horizon = sde().horizon();
    Transform inverse = transform.create(null);
    long[] cost = new long[1];
    Tensor all = Batches.run(n, batch, seed, group, sampleShape, horizon, listener,
        (observer, first, start, rows, generator, spent) -> {
          Sampler s = sampler.create(observer, dtype());
          DiffusionModel m = first && listener != null ? new PriorTap(diffusion, x -> listener.firstBatchState(horizon, x))
              : diffusion;
          try (NoGradGuard noGrad = new NoGradGuard()) {
            Samples drawn = s.sample(m, rows, sampleShape, Conditions.rows(condition, n, start, rows), generator);
            spent[0] += drawn.nfe();
            return inverse.inverse(drawn.x()).to(torch.ScalarType.Float).contiguous();
          }
        }, cost);
    return new ModelSamples(all, cost[0], Math.toIntExact((n + batch - 1) / batch));
  }

  /**
   * {@code n} posterior samples in this process ({@link Group#single()}): see
   * {@link #posterior(PosteriorSampler, Observation, long, int, Condition, long, SamplingListener, Group)}.
   */
  public ModelPosterior posterior(PosteriorSampler sampler, Observation observation, long n, int batch, Condition condition,
      long seed, SamplingListener listener) {
    return posterior(sampler, observation, n, batch, condition, seed, listener, Group.single());
  }

  /**
   * {@code n} posterior samples in data units (float32) of the inverse problem {@code observation}, given
   * in data units: y = A x + σ_y n with A acting on one sample of this model. The problem is mapped to the
   * model's units through the transform's affine map x = d ⊙ z + c ({@link TransformSpec#affine}): the
   * operator becomes A ∘ diag(d) ({@link ScaledInput}), the observation y − A c, the noise stays σ_y.
   * Drawn in chunks of {@code batch} sharded over {@code group} exactly as
   * {@link #sample(SamplerSpec, long, int, Condition, long, SamplingListener, Group) sample} draws them
   * (chunk i from {@code Seeds.derive(seed, SAMPLE, i)}; the same samples for any number of ranks; NFE and
   * VJPs summed over the ranks); the samples come back through x = d ⊙ z + c (continuous, also for 8-bit
   * images).
   *
   * @throws InvalidInputException when the operator's signal shape is not the model's sample shape
   */
  public ModelPosterior posterior(PosteriorSampler sampler, Observation observation, long n, int batch, Condition condition,
      long seed, SamplingListener listener, Group group) {
    check(n >= 1, "the number of samples must be at least 1, got " + n);
    check(batch >= 1, "the batch size must be at least 1, got " + batch);
    ForwardOperator a = observation.operator();
    if (!Arrays.equals(a.inputShape(), sampleShape)) {
      throw new InvalidInputException("the operator (" + a.describe() + ") acts on signals of shape "
          + Arrays.toString(a.inputShape()) + ", but the model's samples have shape " + Arrays.toString(sampleShape));
    }
    org.sbgm.data.Affine affine = transform.affine();
    long[] cost = new long[2];
    Tensor all;
    try (PointerScope outer = new PointerScope()) {
      Tensor d = perFeature(affine.scale()).reciprocal(); // x = d ⊙ z + c with d = 1/a, c = −b/a
      Tensor shift = perFeature(affine.shift()).mul(d).neg();
      Tensor yModel = observation.y().sub(a.apply(shift.unsqueeze(0)).squeeze(0));
      Observation inModel = new Observation(new ScaledInput(a, d), yModel, observation.noiseStd());
      all = Torch.retain(Batches.run(n, batch, seed, group, sampleShape, sde().horizon(), listener,
          (observer, first, start, rows, generator, spent) -> {
            PosteriorSamples drawn = sampler.withObserver(observer).sample(diffusion, inModel, rows,
                Conditions.rows(condition, n, start, rows), generator);
            spent[0] += drawn.nfe();
            spent[1] += drawn.vjps();
            return drawn.x().to(torch.ScalarType.Double).mul(d.unsqueeze(0)).add(shift.unsqueeze(0))
                .to(torch.ScalarType.Float).contiguous();
          }, cost));
    }
    return new ModelPosterior(Torch.handToScope(all), cost[0], cost[1], Math.toIntExact((n + batch - 1) / batch));
  }

  /** Per-feature values (feature = the first axis of a sample) as a float64 tensor of the sample's shape. */
  private Tensor perFeature(double[] v) {
    long[] shape = new long[sampleShape.length];
    Arrays.fill(shape, 1);
    if (v.length > 1) {
      shape[0] = v.length;
    }
    return Torch.tensor(v, DType.FLOAT64, shape).expand(sampleShape).contiguous();
  }

  /**
   * log p(x) in nats (data units) of a 2-D model on an {@code n} × {@code n} grid of cell centres over the
   * square [-halfWidth, halfWidth]²: {@code out[r][c]} is at x = -halfWidth + (c + ½) h, y = -halfWidth +
   * (r + ½) h with h = 2 halfWidth / n (row 0 at the bottom), solved in chunks of {@code batch} points.
   */
  public double[][] logLikelihoodGrid(LikelihoodSpec settings, double halfWidth, int n, int batch, long seed) {
    check(sampleShape.length == 1 && sampleShape[0] == 2, "a log-likelihood grid needs 2-D samples, but this model's "
        + "samples have shape " + Arrays.toString(sampleShape));
    check(n >= 1, "the grid needs at least 1 cell per side, got " + n);
    check(halfWidth > 0 && Double.isFinite(halfWidth), "the grid's half-width must be a finite number above 0, got "
        + halfWidth);
    double[] xy = new double[2 * n * n];
    double h = 2 * halfWidth / n;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        xy[2 * (r * n + c)] = -halfWidth + (c + 0.5) * h;
        xy[2 * (r * n + c) + 1] = -halfWidth + (r + 0.5) * h;
      }
    }
    double[] nats;
    try (PointerScope scope = new PointerScope()) {
      nats = logLikelihood(settings, Torch.tensor(xy, DType.FLOAT32, (long) n * n, 2), Condition.NONE, batch, seed, null)
          .nats();
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n * n; i++) {
      out[i / n][i % n] = nats[i];
    }
    return out;
  }

  /**
   * log p(x) per point in this process ({@link Group#single()}): see
   * {@link #logLikelihood(LikelihoodSpec, Tensor, Condition, int, long, BatchProgress, Group)}.
   */
  public DataLikelihood logLikelihood(LikelihoodSpec settings, Tensor x, Condition condition, int batch, long seed,
      BatchProgress progress) {
    return logLikelihood(settings, x, condition, batch, seed, progress, Group.single());
  }

  /**
   * log p(x) per point of {@code x} (data units, {@code [N, ...]}), in nats in data units and, for images,
   * bits/dim of the dequantised data, through the augmented probability-flow ODE. For an oracle the
   * terminal density is its exact p_T, so the result is exact up to the solver's error.
   *
   * <p>The points are cut into chunks of {@code batch} (the last one shorter), one ODE solve each, sharded
   * over the ranks of {@code group} ({@link Shards}); chunk i draws its Hutchinson probes and image
   * dequantisation noise from its own generator, seeded by {@code Seeds.derive(seed, LIKELIHOOD, i)}, so
   * the result depends on {@code seed} and {@code batch} only: N ranks give the same values, bit for bit,
   * as one. Every rank returns every point's value in order; the NFE is summed over the ranks. The
   * progress counts this rank's chunks.
   */
  public DataLikelihood logLikelihood(LikelihoodSpec settings, Tensor x, Condition condition, int batch, long seed,
      BatchProgress progress, Group group) {
    check(batch >= 1, "the batch size must be at least 1, got " + batch);
    Tensor data = checkData(x, "the data");
    long n = data.size(0);
    double horizon = sde().horizon();
    double epsilon = settings.epsilonOr();
    LogLikelihood.Builder builder = likelihoodBuilder(settings);
    Shards plan = Shards.of(n, batch, group);
    int locals = plan.localChunks();
    long[] nfe = new long[1];
    double[] nats;
    try (PointerScope scope = new PointerScope()) {
      Tensor all = plan.run(group, new long[0], DType.FLOAT64, (chunk, local, start, rows) -> {
        LogLikelihood ll = progress == null ? builder.build() : builder.observer((time, y, dt) -> progress.update(local,
            locals, Math.max(0, Math.min(1, (time - epsilon) / (horizon - epsilon))))).build();
        try (Generator g = Torch.generator(Seeds.derive(seed, Seeds.Stream.LIKELIHOOD, chunk))) {
          Transform t = transform.create(g);
          Tensor xb = data.narrow(0, start, rows);
          LikelihoodResult r = ll.evaluate(diffusion, t.forward(xb), Conditions.rows(condition, n, start, rows), g);
          nfe[0] += r.nfe();
          return Torch.tensor(r.nats(), DType.FLOAT64, rows).add(t.logAbsDetJacobian(xb).to(torch.ScalarType.Double));
        }
      }, local -> {
        if (progress != null) {
          progress.update(local + 1, locals, 0);
        }
      });
      nats = Torch.toDoubles(all);
      requireFinite(nats, data);
    }
    return new DataLikelihood(nats, dimension(), isImage(), Shards.sum(group, nfe)[0], plan.chunks());
  }

  /** The likelihood ODE's settings: divergence, tolerances, ε, and the exact p_T of an oracle. */
  private LogLikelihood.Builder likelihoodBuilder(LikelihoodSpec settings) {
    double horizon = sde().horizon();
    LogLikelihood.Builder builder = LogLikelihood.builder()
        .divergence(settings.createDivergence(sampleShape.length, dimension()))
        .tolerances(settings.rtolOr(), settings.atolOr()).epsilon(settings.epsilonOr()).maxSteps(settings.maxStepsOr())
        .errorNorm(settings.normOr());
    if (oracle != null) {
      builder.terminalLogDensity(z -> oracle.logDensity(z, horizon)); // the oracle knows p_T exactly
    }
    if (conditionalOracle != null) {
      builder.conditionalTerminalLogDensity((z, c) -> conditionalOracle.logDensity(z, horizon, c.parameters()));
    }
    return builder;
  }

  /**
   * The exact log-density in data units of the points {@code x}, where it is known: for an oracle the
   * mixture's log p_ε (given the condition for the conditional one); for a model trained on Gaussian random
   * fields, their density at the condition (A, B) given (one row, or one per point; in model units, as
   * {@link #condition} gives it). Empty otherwise.
   */
  public Optional<double[]> exactLogDensity(Tensor x, Condition condition, double epsilon) {
    Tensor data = checkData(x, "the data");
    try (PointerScope scope = new PointerScope()) {
      if (oracle != null) {
        return Optional.of(Torch.toDoubles(oracle.logDensity(data, epsilon)));
      }
      if (condition == null || condition.parameters() == null) {
        return Optional.empty();
      }
      Tensor pi = conditioning.toRaw(Conditions.rows(condition, data.size(0), 0, data.size(0)).parameters())
          .to(torch.ScalarType.Double);
      if (conditionalOracle != null) {
        return Optional.of(Torch.toDoubles(conditionalOracle.logDensity(data, epsilon, pi)));
      }
      if (spec != null && spec.data() instanceof GrfDataSpec grf) {
        double[] first = Torch.toDoubles(pi.narrow(0, 0, 1));
        GaussianRandomField field = new GaussianRandomField(
            GaussianRandomField.Config.fixed(grf.size(), first[0], first[1], grf.zeroModeVariance()));
        return Optional.of(Torch.toDoubles(field.logDensity(data, pi)));
      }
    }
    return Optional.empty();
  }

  /**
   * For a model with a mixture oracle, its samples {@code x} ({@code [n, ...]}, data units) scored by the exact
   * density at ε = {@link SamplerSpec#EPSILON} beside {@code n} exact draws from {@code seed}; empty otherwise.
   */
  public Optional<SampleCheck> exactSampleCheck(Tensor x, long seed) {
    if (oracle == null) {
      return Optional.empty();
    }
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed)) {
      double samples = oracle.logDensity(x.to(torch.ScalarType.Double), SamplerSpec.EPSILON).mean().item_double();
      double exact = oracle.logDensity(oracle.sample(x.size(0), g, Torch.options(DType.FLOAT64)), SamplerSpec.EPSILON)
          .mean().item_double();
      return Optional.of(new SampleCheck(samples, exact));
    }
  }

  /**
   * For a model with a mixture oracle and an observation with noise (σ_y &gt; 0, so the exact posterior is a
   * mixture too): posterior samples {@code x} against the exact posterior ({@link PosteriorComparison}), exact
   * draws from {@code seed}; empty otherwise.
   */
  public Optional<PosteriorComparison> exactPosteriorComparison(Observation observation, Tensor x, long seed) {
    if (oracle == null || !(observation.noiseStd() > 0)) {
      return Optional.empty();
    }
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(seed)) {
      return Optional.of(PosteriorComparison.of(GaussianMixturePosterior.of(oracle.mixture(), observation), x, g));
    }
  }

  /**
   * The model as a conditional density of data given parameters in the user's units, (x, π) ↦ log p(x | π)
   * through the probability-flow ODE with {@code settings}, and its π-gradient ({@link ConditionalDensity});
   * Hutchinson probes come from {@code seed}. Images are taken at the centres of their 256 levels.
   */
  public ConditionalDensity conditionalDensity(LikelihoodSpec settings, long seed) {
    if (conditionDim() == 0) {
      throw new InvalidInputException("inference over parameters needs a model conditioned on parameters, but this model is "
          + (conditioning.isConditional() ? "conditioned on an image only" : "unconditional"));
    }
    if (conditioning.imageShape() != null) {
      throw new InvalidInputException("inference over parameters needs a model conditioned on parameters only, but this "
          + "model also takes an image condition");
    }
    return new ConditionalDensity(diffusion, likelihoodBuilder(settings).build(), transform.create(null),
        pi -> Condition.ofParameters(conditioning.toModel(pi)), conditionDim(), sampleShape, dtype(), seed);
  }

  /**
   * The exact likelihood of parameters in the user's units, θ ↦ Σ_i log p(x_i | θ), for the observations
   * {@code x} (data units), where it is known: the conditional oracle's, or the Gaussian random fields' for a
   * model trained on them. Empty otherwise.
   */
  public Optional<LikelihoodFunction> exactLikelihood(Tensor x) {
    if (conditionalOracle == null && !(spec != null && spec.data() instanceof GrfDataSpec)) {
      return Optional.empty();
    }
    Tensor data = Torch.retain(checkData(x, "the observations"));
    long n = data.size(0);
    int p = conditionDim();
    return Optional.of(theta -> {
      double[] out = new double[theta.length];
      try (PointerScope scope = new PointerScope()) {
        for (int c = 0; c < theta.length; c++) {
          Tensor pi = Torch.tensor(theta[c], DType.FLOAT64, 1, p).expand(n, p).contiguous();
          double[] v = exact(data, pi);
          for (double d : v) {
            out[c] += d;
          }
        }
      }
      return out;
    });
  }

  /** The exact log-density of every row of {@code x} at raw parameters {@code pi} ({@code [N, P]}, float64). */
  private double[] exact(Tensor x, Tensor pi) {
    if (conditionalOracle != null) {
      return Torch.toDoubles(conditionalOracle.logDensity(x, pi));
    }
    GrfDataSpec grf = (GrfDataSpec) spec.data();
    double[] first = Torch.toDoubles(pi.narrow(0, 0, 1));
    GaussianRandomField field = new GaussianRandomField(
        GaussianRandomField.Config.fixed(grf.size(), first[0], first[1], grf.zeroModeVariance()));
    return Torch.toDoubles(field.logDensity(x, pi));
  }

  /**
   * Data checked against the model and converted to its dtype: shape {@code [N, sampleShape...]} (a
   * single-channel image model also takes {@code [N, H, W]}), N ≥ 1, finite values, and 0..255 levels for
   * an 8-bit image model.
   */
  public Tensor checkData(Tensor raw, String source) {
    Tensor x = raw;
    long[] got = Torch.shape(x);
    long[] stored = got;
    if (sampleShape.length == 3 && sampleShape[0] == 1 && got.length == 3) {
      x = x.unsqueeze(1);
      got = Torch.shape(x);
    }
    if (got.length != sampleShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), sampleShape)) {
      throw new InvalidInputException(source + " holds an array of shape " + Arrays.toString(stored)
          + ", but the model expects [N, " + Arrays.toString(sampleShape).replaceAll("[\\[\\]]", "")
          + "]" + (sampleShape.length == 3 && sampleShape[0] == 1 ? " (or [N, " + sampleShape[1] + ", " + sampleShape[2] + "])"
          : ""));
    }
    if (got[0] < 1) {
      throw new InvalidInputException(source + " holds no points");
    }
    Tensor converted = x.to(dtype().scalarType());
    Datasets.requireFinite(converted, source);
    if (isImage()) {
      double lo = converted.min().item_double();
      double hi = converted.max().item_double();
      if (lo < 0 || hi > 255) {
        throw new InvalidInputException(source + " holds values from " + lo + " to " + hi
            + ", but this image model expects 256-level data (0..255)");
      }
      Tensor flat = converted.flatten();
      Tensor fractional = flat.ne(flat.round());
      if (fractional.any().item_bool()) {
        long i = fractional.to(torch.ScalarType.Int).argmax().item_long();
        throw new InvalidInputException(source + " holds the value " + flat.select(0, i).item_double() + " at flat index " + i
            + ", but this image model expects whole levels 0..255 (8-bit images; data in [0, 1] would be x * 255, rounded)");
      }
    }
    return converted.contiguous();
  }

  /** Refuses log-likelihoods that are not finite, naming the first such point and how far out it lies. */
  private static void requireFinite(double[] nats, Tensor data) {
    int bad = 0;
    int first = -1;
    for (int i = 0; i < nats.length; i++) {
      if (!Double.isFinite(nats[i])) {
        bad++;
        first = first < 0 ? i : first;
      }
    }
    if (bad > 0) {
      double reach = data.select(0, first).abs().max().item_double();
      throw new NonFiniteResultException("log p(x) of point " + first + " is " + nats[first] + " (" + bad + " of "
          + nats.length + " points non-finite): a point whose largest |coordinate| is "
          + String.format(java.util.Locale.ROOT, "%.4g", reach) + " lies so far from "
          + "the model's data that its density is not representable; leave such points out");
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new InvalidInputException(message);
    }
  }

  @Override
  public String toString() {
    return "Model[" + (directory != null ? directory : oracle != null ? "oracle" : "trained") + ", " + sde() + ", shape "
        + Arrays.toString(sampleShape) + "]";
  }
}
