package org.sbgm.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.sbgm.InvalidInputException;

/**
 * Which OpenBLAS runs libtorch's float32/float64 matrix products: the one bundled with the JavaCPP
 * natives (the default) or another build the user names, chosen with the system property
 * {@code sbgm.blas} (or, when it is unset, the environment variable {@code SBGM_BLAS}):
 * {@code bundled}, {@code system} (the distribution's {@code libopenblas.so.0}, e.g. Debian's
 * {@code libopenblas0-pthread}) or the path of a {@code libopenblas.so.0}.
 *
 * <p>Why: the bundled OpenBLAS 0.3.31 is compiled so that its packing routines (the copies of the
 * operands into the kernel's blocks, {@code sgemm_itcopy} and the like) are scalar SSE code for every
 * core type, where Debian's build of the same routines uses AVX. The sgemm kernels themselves are
 * identical assembly. On a Zen 3 core the packing took 12% of an {@code mlp-train-256} step with the
 * bundled library and a third of that with Debian's (perf, 3200 steps each); in three interleaved runs
 * the fixed-step solver workloads were about 8% faster with Debian's in two and equal in the third, the
 * training steps within the noise. The gain is small, and a distribution's OpenBLAS may be older than
 * the CPU, so the default stays the bundled library, which needs nothing installed.
 *
 * <p>How: the chosen library is loaded with global symbol visibility before the bundled natives. It
 * has the soname {@code libopenblas.so.0} that libtorch asks for, so the dynamic linker binds libtorch
 * to it; the bundled copy is still loaded (JavaCPP's OpenBLAS bindings link to it) but runs no
 * product. The choice is verified: OpenBLAS's own {@code openblas_set_num_threads}, through which
 * the thread count is set, must resolve into the chosen file, otherwise it is not an OpenBLAS build
 * (or libtorch would not use it) and the boot fails with one sentence. Linux only.
 */
final class MatrixLibrary {
  /** The value meaning the bundled OpenBLAS. */
  static final String BUNDLED = "bundled";
  /** The value meaning the distribution's OpenBLAS. */
  static final String SYSTEM = "system";

  private static volatile String inUse = BUNDLED;

  private MatrixLibrary() {}

  /** The file of the OpenBLAS in use, or {@code "bundled"}. */
  static String inUse() {
    return inUse;
  }

  /** The setting: the system property sbgm.blas, else the environment variable SBGM_BLAS, else null. */
  static String setting() {
    String p = System.getProperty("sbgm.blas");
    if (p != null) {
      return p;
    }
    return System.getenv("SBGM_BLAS");
  }

  /**
   * Loads the OpenBLAS that {@code setting} asks for (null or {@code bundled}: nothing to do), before the
   * bundled natives load; returns its file, or null for the bundled one.
   */
  static Path preload(String setting) {
    Path file = resolve(setting, Loader.getPlatform());
    if (file == null) {
      return null;
    }
    try {
      Loader.loadGlobal(file.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new InvalidInputException("sbgm.blas names " + file + ", which could not be loaded as a native library: "
          + e.getMessage());
    }
    return file;
  }

  /**
   * Checks, once the natives are loaded, that OpenBLAS's thread-count function resolves into {@code file}
   * (the library {@link #preload} loaded), and records it as the one in use.
   */
  static void verify(Path file) {
    if (file == null) {
      return;
    }
    Pointer fn = Loader.addressof("openblas_set_num_threads");
    String owner = fn == null ? null : mappedFile(fn.address());
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      real = file;
    }
    if (owner == null || !Path.of(owner).equals(real)) {
      throw new InvalidInputException("sbgm.blas names " + file + ", but that library does not provide OpenBLAS's "
          + "openblas_set_num_threads (" + (owner == null ? "not found" : "found in " + owner)
          + "); expected an OpenBLAS build such as libopenblas.so.0, or 'bundled'");
    }
    inUse = real.toString();
  }

  /** The file a setting names: null for the bundled library. */
  static Path resolve(String setting, String platform) {
    if (setting == null || setting.isBlank() || setting.trim().equalsIgnoreCase(BUNDLED)) {
      return null;
    }
    if (!platform.startsWith("linux")) {
      throw new InvalidInputException("sbgm.blas=" + setting + " is supported on Linux only (this is " + platform
          + "); unset it to use the bundled OpenBLAS");
    }
    String value = setting.trim();
    if (value.equalsIgnoreCase(SYSTEM)) {
      List<Path> candidates = systemCandidates(platform);
      for (Path p : candidates) {
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
      throw new InvalidInputException("sbgm.blas=system, but no libopenblas.so.0 was found in "
          + candidates.stream().map(p -> p.getParent().toString()).distinct().toList()
          + "; install one (Debian and Ubuntu: apt-get install libopenblas0-pthread), give its path, or use 'bundled'");
    }
    Path p = Path.of(value);
    if (!Files.isRegularFile(p)) {
      throw new InvalidInputException("sbgm.blas must be 'bundled', 'system' or the path of an OpenBLAS library "
          + "(libopenblas.so.0), got '" + setting + "', which is not a file");
    }
    return p.toAbsolutePath();
  }

  /** Where distributions put libopenblas.so.0, in the order searched. */
  static List<Path> systemCandidates(String platform) {
    String arch = platform.substring(platform.indexOf('-') + 1);
    String multiarch = switch (arch) {
      case "x86_64" -> "x86_64-linux-gnu";
      case "arm64" -> "aarch64-linux-gnu";
      case "ppc64le" -> "powerpc64le-linux-gnu";
      default -> arch.toLowerCase(Locale.ROOT) + "-linux-gnu";
    };
    List<Path> out = new ArrayList<>();
    for (String dir : new String[] {"/usr/lib/" + multiarch, "/usr/lib64", "/usr/lib", "/usr/local/lib"}) {
      out.add(Path.of(dir, "libopenblas.so.0"));
    }
    return out;
  }

  /** The file mapped at {@code address} in this process (from /proc/self/maps), or null. */
  static String mappedFile(long address) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException e) {
      return null;
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+", 6);
      if (f.length < 6) {
        continue;
      }
      int dash = f[0].indexOf('-');
      long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
      long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return f[5].startsWith("/") ? f[5] : null;
      }
    }
    return null;
  }
}
