package org.sbgm.bench;

/**
 * One benchmark workload, built (model, optimiser, data) before timing so that {@link #run()} is exactly
 * the work that is timed, once per repetition. Close it to free what it holds.
 */
public interface Workload extends AutoCloseable {
  /** The workload's name, as printed by the PyTorch reference. */
  String name();

  /** The number of trainable parameters of the model involved (0 for the sgemm calibration). */
  long parameters();

  /** What one repetition covers (printed after the parameter count). */
  String note();

  /** One timed repetition. It runs inside a pointer scope opened by the caller. */
  void run();

  @Override
  default void close() {}
}
