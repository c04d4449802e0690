package org.sbgm.model;

import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.score.ForwardingDiffusionModel;

/**
 * A model that hands the first state its score is evaluated at (a sampler's prior draw at T) to a
 * consumer, once; everything else, forward-mode tangents included, is delegated unchanged.
 */
final class PriorTap extends ForwardingDiffusionModel {
  private final Consumer<Tensor> first;
  private boolean seen;

  PriorTap(DiffusionModel model, Consumer<Tensor> first) {
    super(model);
    this.first = first;
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    if (!seen) {
      seen = true;
      first.accept(x);
    }
    return super.score(x, t, condition);
  }
}
