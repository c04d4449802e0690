package org.sbgm.torch;

import org.bytedeco.pytorch.global.torch;

/**
 * A scope of libtorch's automatic mixed precision for one device type, as {@code torch.autocast}:
 * inside it matrix products, linear layers and convolutions run in the chosen lower precision (their
 * float32 weights cast per call, cached for the scope) while element-wise ops follow type promotion.
 * Closing it restores the previous state and, at the outermost level, frees the cast-weight cache.
 * Autocast state is thread-local. Use {@link #of} so that float32 costs nothing:
 *
 * <pre>{@code try (Autocast a = Autocast.of(Precision.BF16, device)) { loss = compute(...); } }</pre>
 */
public final class Autocast implements AutoCloseable {
  private static final Autocast NONE = new Autocast(null, false, null);

  private final torch.DeviceType type;
  private final boolean wasEnabled;
  private final torch.ScalarType wasDtype;

  private Autocast(torch.DeviceType type, boolean wasEnabled, torch.ScalarType wasDtype) {
    this.type = type;
    this.wasEnabled = wasEnabled;
    this.wasDtype = wasDtype;
  }

  /**
   * Enters bfloat16 autocast for {@code device}'s type when {@code precision} {@linkplain Precision#isBf16() is
   * bfloat16}; a no-op scope for {@link Precision#FP32}.
   */
  public static Autocast of(Precision precision, org.bytedeco.pytorch.Device device) {
    if (!precision.isBf16()) {
      return NONE;
    }
    return enter(device.is_cuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU, torch.ScalarType.BFloat16);
  }

  /** Enters autocast to {@code dtype} for {@code type}. */
  public static Autocast enter(torch.DeviceType type, torch.ScalarType dtype) {
    Torch.init();
    boolean enabled = torch.is_autocast_enabled(type);
    torch.ScalarType previous = torch.get_autocast_dtype(type);
    torch.set_autocast_dtype(type, dtype);
    torch.set_autocast_enabled(type, true);
    torch.increment_nesting();
    return new Autocast(type, enabled, previous);
  }

  /** Whether autocast is on for the CPU on this thread. */
  public static boolean cpuEnabled() {
    return torch.is_autocast_enabled(torch.DeviceType.CPU);
  }

  @Override
  public void close() {
    if (type == null) {
      return;
    }
    if (torch.decrement_nesting() == 0) {
      torch.clear_cache();
    }
    torch.set_autocast_enabled(type, wasEnabled);
    torch.set_autocast_dtype(type, wasDtype);
  }
}
