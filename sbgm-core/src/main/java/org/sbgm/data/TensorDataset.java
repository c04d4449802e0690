package org.sbgm.data;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;

/**
 * A dataset held in memory as one tensor {@code [N, ...]} (rows are samples), with optional
 * per-sample condition parameters {@code [N, P]} and/or condition images {@code [N, C', H, W]}.
 * The tensors are retained, so they outlive the pointer scope they were made in.
 */
public final class TensorDataset implements Dataset {
  private final Tensor data;
  private final Tensor parameters;
  private final Tensor images;

  /** An unconditional dataset of the rows of {@code data}. */
  public TensorDataset(Tensor data) {
    this(data, null, null);
  }

  /**
   * A dataset of the rows of {@code data} conditioned on the rows of {@code parameters} and/or
   * {@code images} (either may be {@code null}); all must have the same number of rows.
   */
  public TensorDataset(Tensor data, Tensor parameters, Tensor images) {
    Torch.init();
    if (data.dim() < 1) {
      throw new InvalidInputException("dataset tensor must have a sample dimension, got a scalar");
    }
    this.data = retained(data, "data", data.size(0));
    this.parameters = parameters == null ? null : retained(parameters, "parameters", data.size(0));
    this.images = images == null ? null : retained(images, "images", data.size(0));
  }

  private static Tensor retained(Tensor t, String what, long n) {
    if (t.dim() < 1 || t.size(0) != n) {
      throw new InvalidInputException(what + " has shape " + Arrays.toString(Torch.shape(t))
          + ", expected " + n + " rows like the data");
    }
    Tensor kept = t.detach();
    kept.retainReference();
    return kept;
  }

  /**
   * This dataset with every tensor on the device and in the dtype of {@code like} (one copy, made
   * once, e.g. to put training data beside a network's parameters); itself when nothing changes.
   */
  public TensorDataset toLike(Tensor like) {
    if (matches(data, like) && (parameters == null || matches(parameters, like)) && (images == null || matches(images, like))) {
      return this;
    }
    return new TensorDataset(convert(data, like), parameters == null ? null : convert(parameters, like),
        images == null ? null : convert(images, like));
  }

  private static boolean matches(Tensor t, Tensor like) {
    return t.scalar_type().intern() == like.scalar_type().intern() && t.device().equals(like.device());
  }

  private static Tensor convert(Tensor t, Tensor like) {
    return t.to(like.device(), like.scalar_type()).contiguous();
  }

  /** The samples {@code [N, ...]}. */
  public Tensor data() {
    return data;
  }

  /** The parameter conditions {@code [N, P]}, or null. */
  public Tensor parameters() {
    return parameters;
  }

  /** The image conditions {@code [N, C', H, W]}, or null. */
  public Tensor images() {
    return images;
  }

  @Override
  public long size() {
    return data.size(0);
  }

  @Override
  public long[] sampleShape() {
    long[] s = Torch.shape(data);
    return Arrays.copyOfRange(s, 1, s.length);
  }

  @Override
  public Tensor batch(long[] indices) {
    return select(data, check(indices));
  }

  @Override
  public Condition condition(long[] indices) {
    if (parameters == null && images == null) {
      return Condition.NONE;
    }
    check(indices);
    return new Condition(parameters == null ? null : select(parameters, indices), images == null ? null : select(images, indices));
  }

  private static Tensor select(Tensor t, long[] indices) {
    Tensor idx = Indices.tensor(indices);
    return t.index_select(0, t.is_cpu() ? idx : idx.to(t.device(), torch.ScalarType.Long));
  }

  @Override
  public Tensor all() {
    return data;
  }

  private long[] check(long[] indices) {
    long n = size();
    for (long i : indices) {
      if (i < 0 || i >= n) {
        throw new InvalidInputException("sample index " + i + " is outside the dataset's range [0, " + n + ")");
      }
    }
    return indices;
  }
}
