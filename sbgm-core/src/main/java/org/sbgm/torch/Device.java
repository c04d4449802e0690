package org.sbgm.torch;

import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;

/** Device choice: CPU always; CUDA when libtorch sees one and it was asked for. */
public final class Device {
  private Device() {}

  /** True when a CUDA device is visible to libtorch. */
  public static boolean cudaAvailable() {
    Torch.init();
    try {
      return torch.cuda_is_available();
    } catch (Throwable e) {
      return false;
    }
  }

  /**
   * Resolves a device name: {@code cpu}, {@code cuda}, or {@code auto} (CUDA if present, else CPU).
   * Asking for {@code cuda} where there is none is an error, never a silent fallback.
   */
  public static org.bytedeco.pytorch.Device resolve(String name) {
    Torch.init();
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "cpu":
        return new org.bytedeco.pytorch.Device(torch.DeviceType.CPU);
      case "cuda":
        if (!cudaAvailable()) {
          throw new InvalidInputException("device 'cuda' was asked for, but libtorch sees no CUDA device");
        }
        return new org.bytedeco.pytorch.Device(torch.DeviceType.CUDA);
      case "auto":
        return resolve(cudaAvailable() ? "cuda" : "cpu");
      default:
        throw new InvalidInputException("device must be cpu, cuda or auto, got '" + name + "'");
    }
  }
}
