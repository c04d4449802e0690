package org.sbgm.cli;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Records x_t of the first few samples at several times on the way from T to ε: the prior draw at T,
 * then the first state at or below each target time, then the final state. The actual times are kept
 * with the frames.
 */
final class Trajectory {
  private final double[] targets;
  private final int keep;
  private final List<float[]> frames = new ArrayList<>();
  private final List<Double> times = new ArrayList<>();
  private int next;
  private float[] last;
  private double lastTime;
  private int steps;

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

  /** The next state of the first batch: the prior first, then one per step. */
  void add(double t, Tensor y) {
    float[] frame = Torch.toFloats(y.narrow(0, 0, Math.min(keep, y.size(0))));
    if (last == null) {
      frames.add(frame); // the prior draw
      times.add(t);
      last = frame;
      lastTime = t;
      return;
    }
    steps++;
    while (next < targets.length && t <= targets[next] + 1e-12) {
      frames.add(frame);
      times.add(t);
      next++;
    }
    last = frame;
    lastTime = t;
  }

  /** The recorded frames and the final one, each the first samples flattened in C order. */
  List<float[]> frames() {
    List<float[]> all = new ArrayList<>(frames);
    if (steps > 0) {
      all.add(last);
    }
    return all;
  }

  /** The time of each frame. */
  double[] times() {
    List<Double> all = new ArrayList<>(times);
    if (steps > 0) {
      all.add(lastTime);
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
