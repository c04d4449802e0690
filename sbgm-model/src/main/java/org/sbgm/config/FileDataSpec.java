package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import org.sbgm.data.DataFiles;

/**
 * Data read from {@code path}: a .npy file, an .npz archive (with {@code array}, the name of the array
 * to use), a .csv file of numbers (one sample per row), an IDX file (MNIST format, gzip or not) or a
 * folder of PNG images. {@code format} overrides the detection by extension; {@code limit} keeps only
 * the first samples. A relative path is resolved against the config file's folder.
 */
public record FileDataSpec(String path, String format, String array, Long limit, Double validation, String transform)
    implements DataSpec {
  /** The format names. */
  public static final List<String> FORMATS = DataFiles.FORMAT_NAMES;

  public FileDataSpec {
    path = Checks.required("path", path, "a .npy, .npz, .csv, IDX file or a folder of PNGs");
    if (path.isBlank()) {
      throw new InvalidInputException("path must name a file or folder, got an empty string");
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

  /** The format: {@code format} unless auto, else detected from the extension (a folder means PNGs). */
  public DataFiles.Format detectedFormat() {
    DataFiles.Format f = DataFiles.parseFormat(format);
    return f != null ? f : DataFiles.detect(Path.of(path));
  }
}
