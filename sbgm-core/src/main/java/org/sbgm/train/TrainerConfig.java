package org.sbgm.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Precision;

/**
 * Everything that defines a training run apart from the model and the data.
 *
 * @param steps the number of optimiser steps of the whole run
 * @param batchSize samples per step
 * @param learningRate the AdamW learning rate after warm-up
 * @param weightDecay AdamW's decoupled weight decay
 * @param warmupSteps linear warm-up: the rate at step k (1-based) is learningRate·min(1, k/warmupSteps); 0 = none
 * @param gradClipNorm global gradient-norm clip; 0 = none
 * @param emaRate the EMA rate of the weights used for validation and the result (with EMA warm-up)
 * @param validateEvery validation loss every this many steps; 0 = never
 * @param checkpointEvery checkpoint every this many steps; 0 = only at the end (when a directory is set)
 * @param seed the seed every generator of the run derives from
 * @param epsilon the smallest diffusion time ε
 * @param weighting the time weighting λ(t) of the loss
 * @param stratified stratified (low-discrepancy) times per batch instead of independent uniform times
 * @param precision the arithmetic of the forward pass and loss ({@link Precision#BF16}: bfloat16 autocast,
 *     weights, gradients, EMA and AdamW state in float32)
 */
public record TrainerConfig(long steps, int batchSize, double learningRate, double weightDecay, long warmupSteps,
    double gradClipNorm, double emaRate, long validateEvery, long checkpointEvery, long seed, double epsilon,
    Weighting weighting, boolean stratified, Precision precision) {

  public TrainerConfig {
    Objects.requireNonNull(weighting, "weighting");
    Objects.requireNonNull(precision, "precision");
    positive("steps", steps);
    positive("batchSize", batchSize);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new InvalidInputException("learningRate must be positive and finite, got " + learningRate);
    }
    nonNegative("weightDecay", weightDecay);
    nonNegative("warmupSteps", warmupSteps);
    nonNegative("gradClipNorm", gradClipNorm);
    if (!(emaRate >= 0 && emaRate < 1)) {
      throw new InvalidInputException("emaRate must lie in [0, 1), got " + emaRate);
    }
    nonNegative("validateEvery", validateEvery);
    nonNegative("checkpointEvery", checkpointEvery);
    nonNegative("epsilon", epsilon);
    if (weighting.importanceSampled() && !(epsilon > 0)) {
      throw new InvalidInputException(
          "epsilon must be positive for the importance-sampled weighting '" + weighting.name() + "', got " + epsilon);
    }
  }

  /** A float32 run ({@link Precision#FP32}). */
  public TrainerConfig(long steps, int batchSize, double learningRate, double weightDecay, long warmupSteps,
      double gradClipNorm, double emaRate, long validateEvery, long checkpointEvery, long seed, double epsilon,
      Weighting weighting, boolean stratified) {
    this(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate, validateEvery,
        checkpointEvery, seed, epsilon, weighting, stratified, Precision.FP32);
  }

  /** Defaults: batch 256, lr 2e-4, no weight decay, 100 warm-up steps, clip 1, EMA 0.999, ε 1e-5, σ², stratified. */
  public static TrainerConfig defaults(long steps) {
    return new TrainerConfig(steps, 256, 2e-4, 0.0, 100, 1.0, 0.999, 0, 0, 0L, TimeSampler.DEFAULT_EPSILON,
        Weighting.SIGMA_SQUARED, true);
  }

  /** The learning rate of step k (1-based): learningRate·min(1, k/warmupSteps). */
  public double learningRateAt(long step) {
    if (step < 1) {
      throw new InvalidInputException("step must be at least 1, got " + step);
    }
    return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (double) step / warmupSteps);
  }

  public TrainerConfig withSteps(long v) {
    return new TrainerConfig(v, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withBatchSize(int v) {
    return new TrainerConfig(steps, v, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withLearningRate(double v, long warmup) {
    return new TrainerConfig(steps, batchSize, v, weightDecay, warmup, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withWeightDecay(double v) {
    return new TrainerConfig(steps, batchSize, learningRate, v, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withGradClipNorm(double v) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, v, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withEmaRate(double v) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, v,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withSchedule(long validate, long checkpoint) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validate, checkpoint, seed, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withSeed(long v) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, v, epsilon, weighting, stratified, precision);
  }

  public TrainerConfig withTimes(double eps, Weighting w, boolean strat) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, eps, w, strat, precision);
  }

  public TrainerConfig withPrecision(Precision v) {
    return new TrainerConfig(steps, batchSize, learningRate, weightDecay, warmupSteps, gradClipNorm, emaRate,
        validateEvery, checkpointEvery, seed, epsilon, weighting, stratified, v);
  }

  /** The configuration as ordered text key/values (doubles in exact hexadecimal form), for checkpoints. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("steps", Long.toString(steps));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("learningRate", Double.toHexString(learningRate));
    m.put("weightDecay", Double.toHexString(weightDecay));
    m.put("warmupSteps", Long.toString(warmupSteps));
    m.put("gradClipNorm", Double.toHexString(gradClipNorm));
    m.put("emaRate", Double.toHexString(emaRate));
    m.put("validateEvery", Long.toString(validateEvery));
    m.put("checkpointEvery", Long.toString(checkpointEvery));
    m.put("seed", Long.toString(seed));
    m.put("epsilon", Double.toHexString(epsilon));
    m.put("weighting", weighting.name());
    m.put("stratified", Boolean.toString(stratified));
    m.put("precision", precision.label());
    return m;
  }

  /**
   * Rebuilds a configuration from {@link #toMap()}; {@code weightings} turns a weighting name into a
   * weighting (e.g. {@link Weighting#parse}, or a lookup that knows user weightings).
   */
  public static TrainerConfig fromMap(Map<String, String> m, Function<String, Weighting> weightings) {
    try {
      return new TrainerConfig(Long.parseLong(get(m, "steps")), Integer.parseInt(get(m, "batchSize")),
          Double.parseDouble(get(m, "learningRate")), Double.parseDouble(get(m, "weightDecay")),
          Long.parseLong(get(m, "warmupSteps")), Double.parseDouble(get(m, "gradClipNorm")),
          Double.parseDouble(get(m, "emaRate")), Long.parseLong(get(m, "validateEvery")),
          Long.parseLong(get(m, "checkpointEvery")), Long.parseLong(get(m, "seed")),
          Double.parseDouble(get(m, "epsilon")), weightings.apply(get(m, "weighting")),
          Boolean.parseBoolean(get(m, "stratified")),
          Precision.parse(m.getOrDefault("precision", Precision.FP32.label())));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("trainer configuration holds a malformed number: " + e.getMessage(), e);
    }
  }

  private static String get(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new InvalidInputException("trainer configuration lacks the key '" + key + "'");
    }
    return v;
  }

  private static void positive(String name, long v) {
    if (v < 1) {
      throw new InvalidInputException(name + " must be at least 1, got " + v);
    }
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new InvalidInputException(name + " must be finite and non-negative, got " + v);
    }
  }
}
