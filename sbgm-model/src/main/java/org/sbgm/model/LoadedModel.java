package org.sbgm.cli.model;

import java.nio.file.Path;
import org.bytedeco.pytorch.Generator;
import org.sbgm.data.Transform;
import org.sbgm.nn.Network;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sde;

/**
 * A model read from a verified model directory: its description, its network (in eval mode) and the
 * score model s_θ built from them.
 */
public record LoadedModel(Path directory, ModelSpec spec, Network network, ScoreModel score) {
  /** The forward SDE. */
  public Sde sde() {
    return score.sde();
  }

  /** The data transform (the identity for none); {@code dequantisation} draws image dequantisation noise (null: u = ½). */
  public Transform transform(Generator dequantisation) {
    return spec.transform().create(dequantisation);
  }
}
