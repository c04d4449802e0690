package org.sbgm.train;

import java.nio.file.Path;

/**
 * Observes a training run (progress bars, CSV metrics). Every hook is a no-op by default and runs on
 * the training thread after the event; steps are 1-based counts of completed optimiser steps.
 */
public interface TrainingListener {
  /** After optimiser step {@code step}, with its training loss and the learning rate it used. */
  default void onStep(long step, double loss, double learningRate) {}

  /** After a validation pass (EMA weights, fixed times and noise) at {@code step}. */
  default void onValidation(long step, double loss) {}

  /** After a checkpoint of {@code step} was written to {@code path}. */
  default void onCheckpoint(long step, Path path) {}
}
