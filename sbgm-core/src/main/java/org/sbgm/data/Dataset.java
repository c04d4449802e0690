package org.sbgm.data;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;

/**
 * A finite, indexable set of samples x_i (i = 0 .. size-1), each of shape {@link #sampleShape()},
 * optionally with a condition per sample (parameters π_i and/or an image y_i).
 */
public interface Dataset {
  /** The number of samples. */
  long size();

  /** The shape of one sample, without the batch dimension (e.g. {@code [2]} or {@code [1, 28, 28]}). */
  long[] sampleShape();

  /** The samples at {@code indices}, stacked: {@code [indices.length, sampleShape...]}. */
  Tensor batch(long[] indices);

  /** The conditions of the samples at {@code indices}; {@link Condition#NONE} when unconditional. */
  default Condition condition(long[] indices) {
    return Condition.NONE;
  }

  /** Every sample as one tensor {@code [size, sampleShape...]}. */
  default Tensor all() {
    long[] idx = new long[Math.toIntExact(size())];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return batch(idx);
  }
}
