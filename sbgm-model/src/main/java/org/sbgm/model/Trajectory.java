package org.sbgm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Records x_t of the first few samples at several times on the way from T to ε, as a
 * {@link SamplingListener} of {@link Model#sample}: the prior draw at T, then the first state at or below
 * each target time, then the final state. The actual times are kept with the frames.
 */
public final class Trajectory implements SamplingListener {
  private final double[] targets;
  private final int keep;
  private final List<float[]> frames = new ArrayList<>();
  private final List<Double> times = new ArrayList<>();
  private int next;
  private float[] last;
  private double lastTime;
  private int steps;

  /**
   * Records the first {@code keep} samples at the decreasing {@code targets} (besides T and ε, which are
   * always kept).
   */
  public Trajectory(double[] targets, int keep) {
    if (keep < 1) {
      throw new InvalidInputException("a trajectory must keep at least 1 sample, got " + keep);
    }
    for (int i = 0; i < targets.length; i++) {
      if (!Double.isFinite(targets[i]) || (i > 0 && !(targets[i] < targets[i - 1]))) {
        throw new InvalidInputException("a trajectory's target times must be finite and decreasing, got "
            + Arrays.toString(targets));
      }
    }
    this.targets = targets.clone();
    this.keep = keep;
  }

  /** Targets spread over (0, T) where a VP/VE diffusion changes most: 0.5, 0.3, 0.2, 0.1, 0.05, 0.02 of T. */
  public static Trajectory standard(double horizon, int keep) {
    double[] f = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02};
    for (int i = 0; i < f.length; i++) {
      f[i] *= horizon;
    }
    return new Trajectory(f, keep);
  }

  /** Records the state (the first chunk's, as {@link SamplingListener#firstBatchState} gives it). */
  @Override
  public void firstBatchState(double t, Tensor x) {
    add(t, x);
  }

  /** The next state of the first batch: the prior first, then one per step. */
  public void add(double t, Tensor y) {
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
  public List<float[]> frames() {
    List<float[]> all = new ArrayList<>(frames);
    if (steps > 0) {
      all.add(last);
    }
    return all;
  }

  /** The time of each frame. */
  public double[] times() {
    List<Double> all = new ArrayList<>(times);
    if (steps > 0) {
      all.add(lastTime);
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
