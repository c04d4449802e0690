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

  /**
   * Before the checkpoint of {@code step} is written to {@code path}: the moment to write files that must
   * never lag behind the checkpoint (a run killed between this hook and the checkpoint resumes from an
   * earlier one, and such files may be cut back to it; a file written after the checkpoint would be lost
   * by a kill in between).
   */
  default void beforeCheckpoint(long step, Path path) {}

  /** After a checkpoint of {@code step} was written to {@code path}. */
  default void onCheckpoint(long step, Path path) {}
}
