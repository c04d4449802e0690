package org.sbgm.model;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.distributed.Group;
import org.sbgm.distributed.Shards;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * The chunk loop of {@link Model}'s samplers on {@link Shards}: n draws in chunks of {@code batch}, chunk
 * i with its own generator seeded by {@code Seeds.derive(seed, SAMPLE, i)}, this rank's chunks only,
 * progress of this rank's chunks reported to a {@link SamplingListener} (the states of this rank's first
 * chunk too), the ranks' draws gathered in order into one float32 tensor owned by the caller's scope.
 */
final class Batches {
  private Batches() {}

  /** One chunk: rows [start, start + rows) drawn from {@code generator} with {@code observer} seeing every step. */
  interface Draw {
    Tensor draw(StepObserver observer, boolean first, long start, long rows, Generator generator, long[] cost);
  }

  /**
   * The draws of every chunk of the run, gathered over {@code group} (float32 rows of {@code rowShape});
   * {@code cost} receives this rank's costs summed over all ranks.
   */
  static Tensor run(long n, int batch, long seed, Group group, long[] rowShape, double horizon, SamplingListener listener,
      Draw draw, long[] cost) {
    SamplingListener l = listener == null ? new SamplingListener() {} : listener;
    Shards plan = Shards.of(n, batch, group);
    int locals = plan.localChunks();
    long[] spent = new long[cost.length];
    Tensor all = plan.run(group, rowShape, DType.FLOAT32, (chunk, local, start, rows) -> {
      boolean first = local == 0;
      StepObserver observer = (t, y, dt) -> {
        if (first) {
          l.firstBatchState(t, y);
        }
        l.progress(local, locals, Math.max(0, Math.min(1, (horizon - t) / (horizon - SamplerSpec.EPSILON))));
      };
      try (Generator g = Torch.generator(Seeds.derive(seed, Seeds.Stream.SAMPLE, chunk))) {
        return draw.draw(observer, first, start, rows, g, spent);
      }
    }, local -> l.progress(local + 1, locals, 0));
    long[] total = Shards.sum(group, spent);
    System.arraycopy(total, 0, cost, 0, cost.length);
    return all;
  }
}
