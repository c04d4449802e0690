package org.sbgm.train;

import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;

/**
 * Training (or validation) data held in memory: samples x₀ {@code [N, ...]} and, for conditional models,
 * parameter vectors {@code [N, P]} and/or condition images {@code [N, C', H, W]} (null when absent).
 */
public record TrainingSet(Tensor data, Tensor parameters, Tensor images) {
  public TrainingSet {
    Objects.requireNonNull(data, "data");
    if (data.dim() < 2 || data.size(0) < 1) {
      throw new IllegalArgumentException(
          "data must be shaped [N, ...] with N >= 1 and at least one more dimension, got shape "
              + Arrays.toString(Torch.shape(data)));
    }
    checkRows("parameters", parameters, data.size(0));
    checkRows("images", images, data.size(0));
  }

  /** Unconditional data. */
  public static TrainingSet of(Tensor data) {
    return new TrainingSet(data, null, null);
  }

  /** The number of samples N. */
  public long size() {
    return data.size(0);
  }

  /** The shape of one sample (without N). */
  public long[] sampleShape() {
    long[] s = Torch.shape(data);
    return Arrays.copyOfRange(s, 1, s.length);
  }

  /** The rows {@code index} ({@code [B]}, int64) as a batch and its condition. */
  Batch select(Tensor index) {
    Tensor x = org.bytedeco.pytorch.global.torch.index_select(data, 0, index);
    Tensor p = parameters == null ? null : org.bytedeco.pytorch.global.torch.index_select(parameters, 0, index);
    Tensor y = images == null ? null : org.bytedeco.pytorch.global.torch.index_select(images, 0, index);
    return new Batch(x, new Condition(p, y));
  }

  /** Rows [start, start + length) as a batch and its condition. */
  Batch slice(long start, long length) {
    Tensor x = data.narrow(0, start, length);
    Tensor p = parameters == null ? null : parameters.narrow(0, start, length);
    Tensor y = images == null ? null : images.narrow(0, start, length);
    return new Batch(x, new Condition(p, y));
  }

  /** A copy with every tensor converted to the dtype and device of {@code like}, kept alive past scopes. */
  TrainingSet toLike(Tensor like) {
    return new TrainingSet(keep(data, like), parameters == null ? null : keep(parameters, like),
        images == null ? null : keep(images, like));
  }

  private static Tensor keep(Tensor t, Tensor like) {
    Tensor c = t.to(like.device(), like.scalar_type()).contiguous().clone();
    c.retainReference();
    return c;
  }

  private static void checkRows(String name, Tensor t, long n) {
    if (t != null && (t.dim() < 1 || t.size(0) != n)) {
      throw new IllegalArgumentException(name + " must have one row per sample (" + n + "), got shape "
          + Arrays.toString(Torch.shape(t)));
    }
  }

  /** A batch of samples with its condition. */
  record Batch(Tensor x, Condition condition) {}
}
