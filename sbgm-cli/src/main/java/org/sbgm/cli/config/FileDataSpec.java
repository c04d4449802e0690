package org.sbgm.cli.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Data read from {@code path}: a .npy file, an .npz archive (with {@code array}, the name of the array
 * to use), a .csv file of numbers (one sample per row), an IDX file (MNIST format, gzip or not) or a
 * folder of PNG images. {@code format} overrides the detection by extension; {@code limit} keeps only
 * the first samples. A relative path is resolved against the config file's folder.
 */
public record FileDataSpec(String path, String format, String array, Long limit, Double validation, String transform)
    implements DataSpec {
  /** The format names. */
  public static final List<String> FORMATS = List.of("auto", "npy", "npz", "csv", "idx", "png");

  public FileDataSpec {
    path = Checks.required("path", path, "a .npy, .npz, .csv, IDX file or a folder of PNGs");
    if (path.isBlank()) {
      throw new IllegalArgumentException("path must name a file or folder, got an empty string");
    }
    format = Checks.oneOf("format", Checks.or(format, "auto"), FORMATS);
    if (limit != null) {
      Checks.atLeast("limit", limit, 2);
    }
    validation = DataSpec.checkValidation(validation);
    transform = DataSpec.checkTransform(transform);
  }

  /** This spec with its path resolved against {@code base} (made absolute). */
  public FileDataSpec resolvedAgainst(Path base) {
    Path p = Path.of(path);
    Path abs = (p.isAbsolute() || base == null ? p : base.resolve(p)).toAbsolutePath().normalize();
    return new FileDataSpec(abs.toString(), format, array, limit, validation, transform);
  }

  /** The format: {@code format} unless auto, else from the extension (a folder means PNGs). */
  public String detectedFormat() {
    if (!format.equals("auto")) {
      return format;
    }
    Path p = Path.of(path);
    if (java.nio.file.Files.isDirectory(p)) {
      return "png";
    }
    String name = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".npy")) {
      return "npy";
    }
    if (name.endsWith(".npz")) {
      return "npz";
    }
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith("ubyte") || name.endsWith(".idx") || name.matches(".*\\.idx\\d.*")) {
      return "idx";
    }
    throw new IllegalArgumentException("data.path '" + path + "' has no known extension; expected .npy, .npz, .csv, "
        + "an IDX name (*-ubyte, *.idx, optionally .gz) or a folder of PNGs, or set data.format");
  }
}
