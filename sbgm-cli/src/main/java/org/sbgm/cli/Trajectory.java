package org.sbgm.cli;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.ScoreFunction;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.Torch;

/**
 * Records x_t of the first few samples at several times on the way from T to ε: the prior draw (seen
 * by the score at its first evaluation, t = T), then the first state a sampler reports at or below each
 * target time, then the final state. The actual times are kept with the frames.
 */
final class Trajectory implements StepObserver {
  private final double[] targets;
  private final int keep;
  private final List<float[]> frames = new ArrayList<>();
  private final List<Double> times = new ArrayList<>();
  private int next;
  private boolean sawPrior;

  /** Records {@code keep} samples at the decreasing {@code targets} (exclusive of T and ε, which are always kept). */
  Trajectory(double[] targets, int keep) {
    this.targets = targets.clone();
    this.keep = keep;
  }

  /** Targets spread over (0, T) where a VP/VE diffusion changes most: 0.5, 0.3, 0.2, 0.1, 0.05, 0.02 of T. */
  static Trajectory standard(double horizon, int keep) {
    double[] f = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02};
    for (int i = 0; i < f.length; i++) {
      f[i] *= horizon;
    }
    return new Trajectory(f, keep);
  }

  /** {@code score} that also records the state it first sees (the prior draw at T). */
  ScoreFunction wrap(ScoreFunction score, double horizon) {
    return (x, t, c) -> {
      if (!sawPrior) {
        sawPrior = true;
        add(horizon, x);
      }
      return score.score(x, t, c);
    };
  }

  @Override
  public void handleStep(double t, Tensor y, double dt) {
    while (next < targets.length && t <= targets[next] + 1e-12) {
      add(t, y);
      next++;
    }
  }

  /** Records the final state. */
  void finish(double t, Tensor y) {
    next = targets.length;
    add(t, y);
  }

  private void add(double t, Tensor y) {
    long k = Math.min(keep, y.size(0));
    frames.add(Torch.toFloats(y.narrow(0, 0, k)));
    times.add(t);
  }

  /** The recorded frames, each the first samples flattened in C order. */
  List<float[]> frames() {
    return frames;
  }

  /** The time of each frame. */
  double[] times() {
    return times.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
