package org.sbgm.train;

import java.nio.file.Path;
import org.sbgm.score.ScoreModel;

/**
 * The outcome of {@link Trainer#train()}: the model, whose network now holds the EMA weights (for
 * sampling, likelihoods, export), and its provenance.
 *
 * @param model the score model with EMA weights
 * @param steps the number of optimiser steps taken in total
 * @param lastLoss the training loss of the last step
 * @param lastValidationLoss the last validation loss, NaN when none was computed
 * @param config the configuration (seed included) that produced it
 * @param checkpoint the last checkpoint written, null when none
 */
public record TrainingResult(ScoreModel model, long steps, double lastLoss, double lastValidationLoss,
    TrainerConfig config, Path checkpoint) {}
