package org.sbgm.score;

import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.sde.Sde;

/**
 * A {@link DiffusionModel} that forwards every method to another: the base of decorators (another
 * device, guidance, progress reporting). A subclass overrides what it changes and inherits the rest,
 * so optional capabilities, the forward-mode tangents in particular, survive the wrapping: a decorator
 * that overrides {@link #score} must override {@link #scoreWithTangents} consistently (or report
 * {@link #supportsTangents()} false), or the two paths disagree.
 */
public abstract class ForwardingDiffusionModel implements DiffusionModel {
  private final DiffusionModel delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingDiffusionModel(DiffusionModel delegate) {
    this.delegate = Objects.requireNonNull(delegate, "a forwarding diffusion model needs a model to forward to");
  }

  /** The wrapped model. */
  public DiffusionModel delegate() {
    return delegate;
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    return delegate.score(x, t, condition);
  }

  @Override
  public Sde sde() {
    return delegate.sde();
  }

  @Override
  public boolean supportsTangents() {
    return delegate.supportsTangents();
  }

  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    return delegate.scoreWithTangents(x, t, condition, tangents);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
