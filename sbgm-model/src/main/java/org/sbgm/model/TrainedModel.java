package org.sbgm.model;

import org.sbgm.train.TrainingResult;

/**
 * The outcome of a {@link Training} run.
 *
 * @param model the trained model (EMA weights), ready to sample and evaluate
 * @param result the trainer's result: steps, last training and validation losses, last checkpoint
 * @param data the prepared data it was trained on (model units; the validation part may be null)
 * @param seconds the wall-clock seconds of the run
 */
public record TrainedModel(Model model, TrainingResult result, PreparedData data, double seconds) {}
