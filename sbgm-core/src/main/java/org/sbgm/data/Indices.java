package org.sbgm.data;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/** Java index arrays to and from int64 tensors. */
final class Indices {
  private Indices() {}

  /** An int64 CPU tensor holding {@code indices}. */
  static Tensor tensor(long[] indices) {
    Torch.init();
    Tensor t = torch.empty(new long[] {indices.length}, new TensorOptions(torch.ScalarType.Long), null);
    if (indices.length > 0) {
      new LongPointer(t.data_ptr()).put(indices);
    }
    return t;
  }

  /** The values of an integer tensor as a long array. */
  static long[] toLongs(Tensor t) {
    Tensor c = t.detach().cpu().to(torch.ScalarType.Long).contiguous();
    long[] out = new long[Math.toIntExact(c.numel())];
    if (out.length > 0) {
      new LongPointer(c.data_ptr()).get(out);
    }
    return out;
  }

  /** The multi-index of flat position {@code flat} in C order of {@code shape}. */
  static long[] unravel(long flat, long[] shape) {
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }
}
