package org.sbgm.score;

import java.util.Objects;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * Runs a model's score on another torch device (typically CUDA) while the solvers keep their state
 * where it is (typically the CPU): x, t, the condition's parts and the tangents are copied to the
 * device, the inner model is called there, and the score and its Jacobian-vector products are copied
 * back to x's device and dtype. Both copies are differentiable, so an autograd divergence still sees
 * through them, and the forward-mode tangents of the inner model stay available
 * ({@link #supportsTangents()} is the inner model's). On x's own device every copy is the tensor
 * itself, so the wrapper changes no number.
 *
 * <p>The inner model's parameters must already live on the device; {@link #of(ScoreModel, Device)}
 * moves a {@link ScoreModel}'s network there.
 */
public final class OnDevice extends ForwardingDiffusionModel {
  private final torch.DeviceType type;
  private final byte index;

  /** {@code model} evaluated on {@code device} (the model must already live there). */
  public OnDevice(DiffusionModel model, Device device) {
    super(model);
    Objects.requireNonNull(device, "device");
    this.type = device.type();
    this.index = device.index();
  }

  /** Moves {@code model}'s network to {@code device} and evaluates the model there. */
  public static OnDevice of(ScoreModel model, Device device) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(device, "device");
    model.network().module().to(device, false);
    return new OnDevice(model, device);
  }

  /** A fresh handle on the device (created in the caller's pointer scope). */
  public Device device() {
    return new Device(type, index);
  }

  @Override
  public Tensor score(Tensor x, Tensor t, Condition condition) {
    Device d = device();
    Tensor s = delegate().score(to(x, d), time(t, d), condition(condition, d));
    return s.to(x.device(), x.scalar_type());
  }

  @Override
  public ScoreTangents scoreWithTangents(Tensor x, Tensor t, Condition condition, Tensor tangents) {
    Device d = device();
    ScoreTangents r = delegate().scoreWithTangents(to(x, d), time(t, d), condition(condition, d), to(tangents, d));
    return new ScoreTangents(r.score().to(x.device(), x.scalar_type()), r.jvp().to(x.device(), x.scalar_type()));
  }

  private static Tensor to(Tensor v, Device d) {
    return v == null ? null : v.to(d, v.scalar_type());
  }

  /** A shared time (one value broadcast over the batch) stays a broadcast view on the device. */
  private static Tensor time(Tensor t, Device d) {
    return Torch.isSharedTime(t) ? to(t.narrow(0, 0, 1), d).expand(t.size(0)) : to(t, d);
  }

  private static Condition condition(Condition c, Device d) {
    if (c == null || c.isEmpty()) {
      return c;
    }
    return new Condition(to(c.parameters(), d), to(c.image(), d));
  }

  @Override
  public String toString() {
    return "OnDevice(" + delegate() + ", " + device().str().getString() + ")";
  }
}
