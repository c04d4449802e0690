package org.sbgm.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.global.torch;

/**
 * Whether bfloat16 arithmetic is native on a device, so that {@link Precision#BF16} is worth running.
 * On the CPU the answer comes from the instruction-set flags the kernel reports ({@code /proc/cpuinfo}):
 * x86 {@code avx512_bf16} or {@code amx_bf16} (oneDNN's bfloat16 kernels), or the Arm {@code bf16}
 * feature; without them libtorch would emulate bfloat16 in float32 and run slower than float32, so a
 * caller falls back to float32 with the one-line {@link Verdict#reason()}. CUDA: libtorch's autocast
 * must be available for the device type.
 *
 * @see #cpu()
 */
public final class Bf16Support {
  /** The CPU flags that give native bfloat16 matrix products. */
  public static final List<String> CPU_FLAGS = List.of("amx_bf16", "avx512_bf16", "bf16");

  private static volatile Verdict cpu;

  private Bf16Support() {}

  /**
   * The answer: {@code native} bfloat16 or not, with the flag found or why not (one sentence).
   *
   * @param supported bfloat16 is native
   * @param reason the flag that was found, or why bfloat16 is not used
   */
  public record Verdict(boolean supported, String reason) {}

  /**
   * The precision a run asking for {@code requested} on {@code device} gets, with a one-line notice when
   * it falls back to float32 (null otherwise).
   *
   * @param precision the precision to run
   * @param notice why bfloat16 was not used, or null
   */
  public record Choice(Precision precision, String notice) {}

  /**
   * {@code requested}, unless it is {@link Precision#BF16} and {@link #on(org.bytedeco.pytorch.Device) device}
   * lacks native bfloat16 ({@link Precision#BF16_EMULATED} is kept as asked for).
   */
  public static Choice choose(Precision requested, org.bytedeco.pytorch.Device device) {
    if (requested != Precision.BF16) {
      return new Choice(requested, null);
    }
    Verdict v = on(device);
    return v.supported() ? new Choice(Precision.BF16, null)
        : new Choice(Precision.FP32, "precision bf16 was asked for, but " + v.reason() + "; training in fp32.");
  }

  /** For the device type of {@code device}: {@link #cpu()} or the CUDA answer. */
  public static Verdict on(org.bytedeco.pytorch.Device device) {
    Torch.init();
    if (device.is_cpu()) {
      return cpu();
    }
    if (device.is_cuda()) {
      return torch.is_autocast_available(torch.DeviceType.CUDA)
          ? new Verdict(true, "CUDA autocast is available")
          : new Verdict(false, "libtorch has no CUDA autocast");
    }
    return new Verdict(false, "bfloat16 autocast is supported here only on CPU and CUDA, not on " + device.str().getString());
  }

  /** The CPU's answer, from {@code /proc/cpuinfo} (read once). */
  public static Verdict cpu() {
    Verdict v = cpu;
    if (v == null) {
      String text;
      try {
        text = Files.readString(Path.of("/proc/cpuinfo"));
      } catch (IOException | RuntimeException e) {
        text = null;
      }
      v = text == null ? new Verdict(false, "the CPU's instruction-set flags could not be read (/proc/cpuinfo)")
          : fromCpuInfo(text);
      cpu = v;
    }
    return v;
  }

  /** The answer for the text of a {@code /proc/cpuinfo} (its first {@code flags} or {@code Features} line). */
  public static Verdict fromCpuInfo(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      if (key.equals("flags") || key.equals("Features")) {
        return fromFlags(line.substring(colon + 1));
      }
    }
    return new Verdict(false, "/proc/cpuinfo lists no instruction-set flags");
  }

  /** The answer for a space-separated list of CPU flags. */
  public static Verdict fromFlags(String flags) {
    Set<String> set = new HashSet<>(Arrays.asList(flags.trim().split("\\s+")));
    for (String f : CPU_FLAGS) {
      if (set.contains(f)) {
        return new Verdict(true, "the CPU has " + f);
      }
    }
    return new Verdict(false, "the CPU has none of " + String.join(", ", CPU_FLAGS) + " (bfloat16 would be emulated)");
  }
}
