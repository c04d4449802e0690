package org.sbgm.solve;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The result of a solve. The tensors outlive the call: they belong to the pointer scope that was
 * open around the call, or, when none was, to the caller (release them with {@code close()}). The
 * same tensor may appear as {@code y} and in {@code ys} (e.g. the state at t1); it is owned once.
 *
 * @param y the final state
 * @param ts the saved times
 * @param ys the saved states, one per time in {@code ts}
 * @param nfe the number of field evaluations: the sum of what the steps report (drift, or score for a
 *     corrector) plus F(t0, y0) and any evaluations the controller spent choosing the first step
 * @param accepted the number of accepted steps
 * @param rejected the number of rejected steps
 * @param status how the solve ended (failures throw {@link IntegrationException} instead)
 */
public record Solution(Tensor y, double[] ts, List<Tensor> ys, long nfe, int accepted, int rejected, Status status) {

  /** How a solve ended. */
  public enum Status {
    /** The final time was reached. */
    SUCCESS
  }

  /** Copies the times and the list. */
  public Solution {
    ts = ts.clone();
    ys = List.copyOf(ys);
  }

  @Override
  public double[] ts() {
    return ts.clone();
  }

  @Override
  public String toString() {
    return "Solution[status=" + status + ", saved=" + ts.length + ", nfe=" + nfe + ", accepted=" + accepted + ", rejected=" + rejected + "]";
  }
}
