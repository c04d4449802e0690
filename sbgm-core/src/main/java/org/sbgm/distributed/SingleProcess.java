package org.sbgm.distributed;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** The group of one process: every collective is the identity. */
final class SingleProcess implements Group {
  static final SingleProcess INSTANCE = new SingleProcess();

  private SingleProcess() {}

  @Override
  public int rank() {
    return 0;
  }

  @Override
  public int worldSize() {
    return 1;
  }

  @Override
  public String backend() {
    return "single";
  }

  @Override
  public void allreduceSum(List<Tensor> tensors) {}

  @Override
  public double[] allreduceSum(double[] values) {
    return values.clone();
  }

  @Override
  public double allreduceMax(double value) {
    return value;
  }

  @Override
  public void broadcast(List<Tensor> tensors, int root) {
    if (root != 0) {
      throw new IllegalArgumentException("root is " + root + "; the single-process group has only rank 0.");
    }
  }

  @Override
  public Tensor allgatherRows(Tensor rows) {
    return rows;
  }

  @Override
  public void barrier() {}

  @Override
  public double collectiveSeconds() {
    return 0;
  }

  @Override
  public void close() {}
}
