package org.sbgm.nn;

import java.util.Map;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A backbone network: (x {@code [B, ...]}, t {@code [B]}, optional parameter vector π {@code [B, P]},
 * optional image y {@code [B, C', H, W]}) -> a tensor shaped like x. It knows nothing of diffusion:
 * {@code org.sbgm.score.ScoreModel} turns its output into a score.
 *
 * <p>Any torch {@link Module} plugs in: a class that extends {@code Module} and implements this
 * interface returns {@code this} from {@link #module()}.
 */
public interface Network {
  /** The torch module that owns the parameters (optimisers, EMA, save/load, train/eval mode). */
  Module module();

  /** The forward pass; {@code parameters} and {@code image} may be {@code null} when unconditioned. */
  Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image);

  /**
   * The generators the network draws its own training-time noise from (dropout masks, condition
   * dropout), by a stable name, in a fixed order; empty (the default) for a deterministic network.
   * These are the live objects: a training checkpoint saves their {@code get_state()} and a resumed
   * run restores it with {@code set_state}, so a network that draws noise must list every generator it
   * draws from here, or resuming it is not exact.
   */
  default Map<String, Generator> generators() {
    return Map.of();
  }
}
