package org.sbgm.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.Torch;

/**
 * The batch loop of {@link Model}'s samplers: n draws in batches of at most {@code batch}, each in its
 * own pointer scope, progress reported to a {@link SamplingListener} (the first batch's states too), the
 * parts concatenated into one tensor owned by the caller's scope.
 */
final class Batches {
  private Batches() {}

  /** One batch: rows [start, start + rows) drawn with {@code observer} seeing every step; adds its costs to {@code cost}. */
  interface Draw {
    Tensor draw(StepObserver observer, boolean first, long start, long rows, long[] cost);
  }

  /** The batches' draws, concatenated (float32, contiguous, as each draw returns them). */
  static Tensor run(long n, int batch, double horizon, SamplingListener listener, Draw draw, long[] cost) {
    SamplingListener l = listener == null ? new SamplingListener() {} : listener;
    int batches = Math.toIntExact((n + batch - 1) / batch);
    List<Tensor> parts = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      long start = (long) b * batch;
      long rows = Math.min(batch, n - start);
      int index = b;
      boolean first = b == 0;
      StepObserver observer = (t, y, dt) -> {
        if (first) {
          l.firstBatchState(t, y);
        }
        l.progress(index, batches, Math.max(0, Math.min(1, (horizon - t) / (horizon - SamplerSpec.EPSILON))));
      };
      try (PointerScope scope = new PointerScope()) {
        parts.add(Torch.retain(draw.draw(observer, first, start, rows, cost)));
      }
      l.progress(index + 1, batches, 0);
    }
    if (parts.size() == 1) {
      return Torch.handToScope(parts.get(0));
    }
    Tensor all = torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0); // owned like the one part above
    parts.forEach(Tensor::releaseReference);
    return all;
  }
}
