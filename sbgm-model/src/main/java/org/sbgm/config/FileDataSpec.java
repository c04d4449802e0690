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
 *
 * <p>Conditional data: {@code parameters} names the array of the condition π ({@code [N, P]}) and
 * {@code image} the array of an image condition y ({@code [N, C', H, W]}, {@code [N, H, W]}, or
 * {@code [N, D']} for vector models), both in the same .npz as the data; or {@code parametersPath} /
 * {@code imagePath} give a separate .npy, .npz (its array named by {@code parameters} / {@code image}, or
 * its only one) or .csv with one row per sample. π is standardised (mean and std fitted on the training
 * part and stored in the model) unless {@code parametersTransform: none}; y is scaled like the data.
 */
public record FileDataSpec(String path, String format, String array, Long limit, Double validation, String transform,
    String parameters, String image, String parametersPath, String imagePath, String parametersTransform)
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
    checkName("parameters", parameters);
    checkName("image", image);
    checkName("parametersPath", parametersPath);
    checkName("imagePath", imagePath);
    parametersTransform = DataSpec.checkParametersTransform(parametersTransform);
  }

  /** An unconditional file data section. */
  public FileDataSpec(String path, String format, String array, Long limit, Double validation, String transform) {
    this(path, format, array, limit, validation, transform, null, null, null, null, null);
  }

  private static void checkName(String key, String value) {
    if (value != null && value.isBlank()) {
      throw new InvalidInputException(key + " must name an array or file, got an empty string");
    }
  }

  /** True when the data carry a parameter condition π. */
  public boolean hasParameters() {
    return parameters != null || parametersPath != null;
  }

  /** True when the data carry an image condition y. */
  public boolean hasImage() {
    return image != null || imagePath != null;
  }

  /** This spec with its paths resolved against {@code base} (made absolute). */
  public FileDataSpec resolvedAgainst(Path base) {
    return new FileDataSpec(resolve(path, base), format, array, limit, validation, transform, parameters, image,
        parametersPath == null ? null : resolve(parametersPath, base), imagePath == null ? null : resolve(imagePath, base),
        parametersTransform);
  }

  private static String resolve(String file, Path base) {
    Path p = Path.of(file);
    return (p.isAbsolute() || base == null ? p : base.resolve(p)).toAbsolutePath().normalize().toString();
  }

  /** The format: {@code format} unless auto, else detected from the extension (a folder means PNGs). */
  public DataFiles.Format detectedFormat() {
    DataFiles.Format f = DataFiles.parseFormat(format);
    return f != null ? f : DataFiles.detect(Path.of(path));
  }
}
