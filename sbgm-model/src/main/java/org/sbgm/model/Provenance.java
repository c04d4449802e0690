package org.sbgm.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a model came from.
 *
 * @param seed the training seed (every generator of the run derives from it)
 * @param networkSeed the seed of the network's initial weights
 * @param step the number of optimiser steps taken
 * @param parameters the number of trainable scalars
 * @param trainLoss the training loss of the last step
 * @param validationLoss the last validation loss (null when none was computed)
 * @param version the sbgm version that wrote the model
 * @param date when the model was written (ISO-8601, UTC)
 * @param seconds the wall-clock seconds of the training run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(Long seed, Long networkSeed, Long step, Long parameters, Double trainLoss,
    Double validationLoss, String version, String date, Double seconds) {}
