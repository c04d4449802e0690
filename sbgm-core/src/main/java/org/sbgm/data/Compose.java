package org.sbgm.data;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;

/**
 * The composition T = T_n ∘ ... ∘ T_1 (T_1 applied first), with the chain rule
 * log |det ∂T/∂x| = Σ_i log |det ∂T_i/∂x_{i-1}| at the intermediate points x_i = T_i(x_{i-1}).
 */
public final class Compose implements Transform {
  private final List<Transform> steps;

  /** The transforms in the order they are applied. */
  public Compose(List<Transform> steps) {
    if (steps.isEmpty()) {
      throw new InvalidInputException("a composition needs at least one transform");
    }
    this.steps = List.copyOf(steps);
  }

  /** The composition of {@code steps}, first applied first. */
  public static Compose of(Transform... steps) {
    return new Compose(List.of(steps));
  }

  /** The steps, first applied first. */
  public List<Transform> steps() {
    return steps;
  }

  @Override
  public Tensor forward(Tensor x) {
    for (Transform t : steps) {
      x = t.forward(x);
    }
    return x;
  }

  @Override
  public Tensor inverse(Tensor y) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      y = steps.get(i).inverse(y);
    }
    return y;
  }

  @Override
  public Tensor logAbsDetJacobian(Tensor x) {
    Tensor sum = null;
    for (Transform t : steps) {
      Tensor l = t.logAbsDetJacobian(x);
      sum = sum == null ? l : sum.add(l);
      x = t.forward(x);
    }
    return sum;
  }
}
