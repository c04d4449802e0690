package org.sbgm.config;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.sbgm.train.TrainerConfig;
import org.sbgm.torch.Precision;
import org.sbgm.train.Weighting;

/**
 * The training run ({@link TrainerConfig}): AdamW at learning rate {@code lr} after {@code warmupSteps}
 * of linear warm-up, global gradient-norm clipping, an EMA of the weights, validation and checkpoints
 * every so many steps (0 = never / only at the end), times in [{@code epsilon}, T] drawn stratified or
 * not, and the loss weighting {@code sigma2} (λ = σ², ε-prediction) or {@code likelihood} (λ = g² with
 * importance-sampled times, Song, Durkan et al. 2021). {@code precision}: {@code fp32} (default) or
 * {@code bf16}, bfloat16 autocast of the forward pass and loss with float32 weights, gradients, EMA and AdamW
 * state ({@link org.sbgm.torch.Precision}); float32 where the device has no native bfloat16. {@code bf16-emulated}:
 * bfloat16 even there (emulated by libtorch, slower than float32), to check how a bf16 run trains.
 */
public record TrainingSpec(Long steps, Integer batchSize, Double lr, Double weightDecay, Long warmupSteps,
    Double gradClipNorm, Double emaRate, Long validateEvery, Long checkpointEvery, Long seed, Double epsilon,
    String weighting, Boolean stratified, String precision) {
  public TrainingSpec {
    steps = Checks.atLeast("steps", Checks.required("steps", steps, "the number of optimiser steps"), 1);
    batchSize = Checks.atLeast("batchSize", Checks.or(batchSize, 256), 1);
    lr = Checks.positive("lr", Checks.or(lr, 2e-4));
    weightDecay = Checks.nonNegative("weightDecay", Checks.or(weightDecay, 0.0));
    warmupSteps = Checks.atLeast("warmupSteps", Checks.or(warmupSteps, 100L), 0);
    gradClipNorm = Checks.nonNegative("gradClipNorm", Checks.or(gradClipNorm, 1.0));
    emaRate = Checks.inHalfOpen("emaRate", Checks.or(emaRate, 0.999), 0, 1);
    validateEvery = Checks.atLeast("validateEvery", Checks.or(validateEvery, 0L), 0);
    checkpointEvery = Checks.atLeast("checkpointEvery", Checks.or(checkpointEvery, 0L), 0);
    seed = Checks.or(seed, 0L);
    epsilon = Checks.nonNegative("epsilon", Checks.or(epsilon, 1e-5));
    weighting = Checks.oneOf("weighting", Checks.or(weighting, "sigma2"), List.of("sigma2", "likelihood"));
    stratified = Checks.or(stratified, true);
    precision = Checks.oneOf("precision", Checks.or(precision, "fp32"), Precision.NAMES);
    if (weighting.equals("likelihood") && !(epsilon > 0)) {
      throw new InvalidInputException("epsilon must be positive for the likelihood weighting, got " + epsilon);
    }
  }

  /** This run with {@code n} steps. */
  public TrainingSpec withSteps(long n) {
    return new TrainingSpec(n, batchSize, lr, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  /** This run with seed {@code s}. */
  public TrainingSpec withSeed(long s) {
    return new TrainingSpec(steps, batchSize, lr, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        checkpointEvery, s, epsilon, weighting, stratified, precision);
  }

  /** This run with a checkpoint every {@code n} steps (0: only at the end). */
  public TrainingSpec withCheckpointEvery(long n) {
    return new TrainingSpec(steps, batchSize, lr, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        n, seed, epsilon, weighting, stratified, precision);
  }

  /** This run in {@code p} ({@code fp32} or {@code bf16}). */
  public TrainingSpec withPrecision(String p) {
    return new TrainingSpec(steps, batchSize, lr, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        checkpointEvery, seed, epsilon, weighting, stratified, p);
  }

  /** The core trainer configuration. */
  @JsonIgnore
  public TrainerConfig toCore() {
    return new TrainerConfig(steps, batchSize, lr, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        checkpointEvery, seed, epsilon, Weighting.parse(weighting), stratified, Precision.parse(precision));
  }
}
