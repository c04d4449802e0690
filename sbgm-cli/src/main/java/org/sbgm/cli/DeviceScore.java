package org.sbgm.cli;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.nn.Network;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;

/**
 * Runs a network's score on another device (CUDA) while solvers keep their state on the CPU: inputs
 * are copied to the device and the score back (both copies are differentiable, so the exact divergence
 * still works). On the CPU the score is used as it is.
 */
final class DeviceScore {
  private DeviceScore() {}

  /** The score of {@code network} on {@code device} (the network is moved there). */
  static ScoreFunction on(ScoreFunction score, Network network, Device device) {
    if (device == null || device.is_cpu()) {
      return score;
    }
    network.module().to(device, false);
    return (x, t, c) -> {
      Condition moved = new Condition(c.parameters() == null ? null : c.parameters().to(device, c.parameters().scalar_type()),
          c.image() == null ? null : c.image().to(device, c.image().scalar_type()));
      Tensor s = score.score(x.to(device, x.scalar_type()), t.to(device, t.scalar_type()), moved);
      return s.to(x.device(), x.scalar_type());
    };
  }
}
