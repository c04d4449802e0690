package org.sbgm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npy;
import org.sbgm.io.Npz;
import org.sbgm.torch.DType;

/**
 * Reads an array from any data file the project understands, choosing the reader by format:
 * {@code .npy}, {@code .npz} (one named array, or its only one), {@code .csv} (numbers, one sample per
 * row), IDX (the MNIST format, {@code *-ubyte}, {@code *.idx}, gzip or not) and a folder of PNG images.
 * The array comes back as stored (uint8 images stay uint8; CSV is float32). Every problem is an
 * {@link InvalidInputException} naming the file.
 */
public final class DataFiles {
  /** A data file format. */
  public enum Format {
    NPY, NPZ, CSV, IDX, PNG;

    /** The lower-case name used in configurations and options. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The names a format may be given by: {@code auto} (detect) and one per {@link Format}. */
  public static final List<String> FORMAT_NAMES = List.of("auto", "npy", "npz", "csv", "idx", "png");

  private DataFiles() {}

  /** The format named {@code name}, or null for {@code auto} (detect from the path). */
  public static Format parseFormat(String name) {
    String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("auto")) {
      return null;
    }
    return Arrays.stream(Format.values()).filter(f -> f.label().equals(n)).findFirst()
        .orElseThrow(() -> new InvalidInputException("data format must be one of " + String.join(", ", FORMAT_NAMES)
            + ", got '" + name + "'"));
  }

  /** The format of {@code path} from its extension (a folder means PNG images). */
  public static Format detect(Path path) {
    if (Files.isDirectory(path)) {
      return Format.PNG;
    }
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".npy")) {
      return Format.NPY;
    }
    if (name.endsWith(".npz")) {
      return Format.NPZ;
    }
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith("ubyte") || name.endsWith(".idx") || name.matches(".*\\.idx\\d.*")) {
      return Format.IDX;
    }
    throw new InvalidInputException("data file '" + path + "' has no known extension; expected .npy, .npz, .csv, "
        + "an IDX name (*-ubyte, *.idx, optionally .gz) or a folder of PNGs (a configuration may also name it with data.format)");
  }

  /**
   * The array stored in {@code path}.
   *
   * @param format the format, or null to detect it from the path
   * @param array for .npz: the array's name, or null when the archive holds exactly one
   */
  public static Tensor read(Path path, Format format, String array) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("data file '" + path + "' does not exist");
    }
    Format f = format == null ? detect(path) : format;
    if ((f == Format.PNG) != Files.isDirectory(path)) {
      throw new InvalidInputException("data path '" + path + "' is " + (Files.isDirectory(path) ? "a folder" : "a file")
          + ", but format " + f.label() + " needs " + (f == Format.PNG ? "a folder of PNG images" : "a file"));
    }
    if (array != null && f != Format.NPZ) {
      throw new InvalidInputException("an array name ('" + array + "') selects an array inside an .npz archive, but '"
          + path + "' is read as " + f.label());
    }
    try {
      return switch (f) {
        case NPY -> Npy.readTensor(path);
        case NPZ -> Npz.readTensor(path, npzArray(path, array));
        case CSV -> Csv.read(path, DType.FLOAT32);
        case IDX -> Idx.read(path);
        case PNG -> ImageFolder.read(path);
      };
    } catch (IOException e) {
      throw new InvalidInputException("cannot read data file '" + path + "': " + e.getMessage(), e);
    }
  }

  /** The array of an .npz archive to read: {@code array}, or the archive's only one. */
  private static String npzArray(Path path, String array) throws IOException {
    if (array != null) {
      return array;
    }
    List<String> names = Npz.names(path);
    if (names.isEmpty()) {
      throw new InvalidInputException("data file '" + path + "' is a zip archive without arrays (no .npy members);"
          + " expected an .npz archive");
    }
    if (names.size() != 1) {
      throw new InvalidInputException("data file '" + path + "' holds the arrays " + names + "; name the one to read (array: in a configuration, --array on the command line)");
    }
    return names.get(0);
  }
}
