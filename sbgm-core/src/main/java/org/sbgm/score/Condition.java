package org.sbgm.score;

import org.bytedeco.pytorch.Tensor;

/**
 * What a conditional score s(x, t | π, y) is conditioned on: a parameter vector π ({@code [B, P]})
 * and/or an image y ({@code [B, C', H, W]}). Either part may be absent ({@code null}).
 */
public record Condition(Tensor parameters, Tensor image) {
  /** No condition. */
  public static final Condition NONE = new Condition(null, null);

  /** Only a parameter vector π. */
  public static Condition ofParameters(Tensor parameters) {
    return new Condition(parameters, null);
  }

  /** Only an image y. */
  public static Condition ofImage(Tensor image) {
    return new Condition(null, image);
  }

  /** True when neither part is present. */
  public boolean isEmpty() {
    return parameters == null && image == null;
  }
}
