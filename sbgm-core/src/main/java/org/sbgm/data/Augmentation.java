package org.sbgm.data;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;

/**
 * A random data augmentation applied to a training batch, e.g. a horizontal flip. Unlike a
 * {@link Transform} it is neither invertible nor part of the density: a model trained with it
 * models the augmented distribution.
 */
@FunctionalInterface
public interface Augmentation {
  /** An augmented copy of {@code x [B, ...]}, random per sample from {@code g}. */
  Tensor apply(Tensor x, Generator g);
}
