package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A trajectory fed the states of a known path (x_t = t for every entry of a [3, 2] batch, 10 steps from
 * T = 1 to 0.1) keeps the prior draw, the first state at or below each target, and the final state, with
 * their times and the first {@code keep} samples only.
 */
class TrajectoryTest {
  @Test
  void keepsThePriorTheFirstStateAtOrBelowEachTargetAndTheLast() {
    Trajectory t = new Trajectory(new double[] {0.55, 0.3, 0.29}, 2);
    try (PointerScope scope = new PointerScope()) {
      for (int i = 10; i >= 1; i--) {
        double time = i / 10.0;
        double[] v = new double[6];
        java.util.Arrays.fill(v, time);
        v[4] = -1; // the third sample is not kept
        t.firstBatchState(time, Torch.tensor(v, DType.FLOAT32, 3, 2));
      }
    }
    // T = 1, then 0.5 (first at or below 0.55), 0.3 (at or below 0.3, and 0.29 is reached only at 0.2), 0.2, final 0.1
    assertArrayEquals(new double[] {1.0, 0.5, 0.3, 0.2, 0.1}, t.times(), 1e-12);
    List<float[]> frames = t.frames();
    assertEquals(5, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      float x = (float) t.times()[i];
      assertArrayEquals(new float[] {x, x, x, x}, frames.get(i), 0f, "frame " + i);
    }
  }

  @Test
  void standardTargetsScaleWithTheHorizonAndOnlyThePriorBeforeAStep() {
    Trajectory t = Trajectory.standard(10.0, 1);
    try (PointerScope scope = new PointerScope()) {
      t.add(10.0, Torch.tensor(new double[] {7, 8}, DType.FLOAT32, 1, 2));
      assertArrayEquals(new double[] {10.0}, t.times(), 0);
      // one step straight to 0.1: every target (5, 3, 2, 1, 0.5, 0.2) is reached by it, then it is also the last
      t.add(0.1, Torch.tensor(new double[] {1, 2}, DType.FLOAT32, 1, 2));
    }
    assertArrayEquals(new double[] {10.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, t.times(), 1e-12);
    assertArrayEquals(new float[] {7, 8}, t.frames().get(0), 0f);
    assertArrayEquals(new float[] {1, 2}, t.frames().get(7), 0f);
  }

  @Test
  void refusesBadTargetsAndCounts() {
    assertEquals("a trajectory must keep at least 1 sample, got 0",
        assertThrows(InvalidInputException.class, () -> new Trajectory(new double[] {0.5}, 0)).getMessage());
    assertEquals("a trajectory's target times must be finite and decreasing, got [0.2, 0.5]",
        assertThrows(InvalidInputException.class, () -> new Trajectory(new double[] {0.2, 0.5}, 1)).getMessage());
  }
}
