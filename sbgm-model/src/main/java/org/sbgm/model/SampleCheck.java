package org.sbgm.model;

/**
 * Samples of a model with a known mixture density, scored by it ({@link Model#exactSampleCheck}): the mean exact
 * log p_ε of the samples beside that of as many exact draws. A sampler that puts mass where the mixture has
 * little gives a lower first figure; the two agree to Monte-Carlo error for exact samples.
 *
 * @param meanLogDensityOfSamples the mean exact log-density of the samples, in nats
 * @param meanLogDensityOfExactDraws the mean exact log-density of the same number of exact draws
 */
public record SampleCheck(double meanLogDensityOfSamples, double meanLogDensityOfExactDraws) {}
