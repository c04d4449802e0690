package org.sbgm.inverse;

import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A ∘ diag(d): the operator A applied after scaling the signal by d (a tensor broadcastable to one
 * signal). A model trained on z = (x − c)/d sees the data-unit problem y = A x + σ_y n as
 * y − A c = (A ∘ diag(d)) z + σ_y n: the same noise, this operator; its adjoint is d ⊙ Aᵀ y.
 */
public final class ScaledInput implements ForwardOperator {
  private final ForwardOperator operator;
  private final Tensor scale;

  /** A ∘ diag(scale); {@code scale} broadcasts to {@code operator.inputShape()}. */
  public ScaledInput(ForwardOperator operator, Tensor scale) {
    this.operator = Objects.requireNonNull(operator, "operator");
    this.scale = Torch.retain(scale.to(DType.FLOAT64.scalarType()).expand(operator.inputShape()).contiguous());
  }

  /** A. */
  public ForwardOperator operator() {
    return operator;
  }

  /** d, float64 {@code inputShape}. */
  public Tensor scale() {
    return scale;
  }

  @Override
  public long[] inputShape() {
    return operator.inputShape();
  }

  @Override
  public long[] outputShape() {
    return operator.outputShape();
  }

  @Override
  public Tensor apply(Tensor x) {
    return operator.apply(ForwardOperator.checkShape(x, inputShape(), "the signal").mul(on(x)));
  }

  @Override
  public Tensor adjoint(Tensor y) {
    Tensor back = operator.adjoint(y);
    return back.mul(on(back));
  }

  @Override
  public Tensor informative(Tensor y) {
    return operator.informative(y);
  }

  private Tensor on(Tensor like) {
    return scale.to(like.device(), like.scalar_type()).unsqueeze(0);
  }

  @Override
  public String describe() {
    return operator.describe() + " in model units";
  }
}
