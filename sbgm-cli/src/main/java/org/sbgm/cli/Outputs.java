package org.sbgm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sbgm.InvalidInputException;
import org.sbgm.io.AtomicFiles;

/** Checks on option values and output paths, made before any long work so that a bad one fails at once. */
final class Outputs {
  private Outputs() {}

  /** Throws unless {@code value} (when given) is at least {@code min}. */
  static void atLeast(String option, Number value, long min) {
    if (value != null && value.longValue() < min) {
      throw new InvalidInputException(option + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * Throws unless {@code file} can be a new or replaced file with extension {@code ext} (e.g. ".npy"): its directory
   * is created now if missing, and a file is created in it and deleted again, so that a command with several
   * outputs fails before it writes any of them (and before any long work) when one of them cannot be written.
   */
  static Path file(String option, Path file, String ext) {
    if (file == null) {
      return null;
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (!name.toLowerCase(Locale.ROOT).endsWith(ext)) {
      throw new InvalidInputException(option + " must name a " + ext + " file, got '" + file + "'");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(option + " names '" + file + "', which is a directory; expected a " + ext + " file");
    }
    AtomicFiles.checkWritableDirectory(option, file.toAbsolutePath().getParent());
    return file;
  }

  /**
   * Throws unless {@code n} rows of {@code shape} at {@code itemSize} bytes fit one written .npy array, before any of
   * them is computed: an output too large to write would otherwise be found only after all the work.
   */
  static void fitsOneArray(String option, long n, long[] shape, int itemSize) {
    double elements = n;
    for (long d : shape) {
      elements *= d;
    }
    org.sbgm.io.Npy.checkWritable(option + " " + n + " rows of shape " + java.util.Arrays.toString(shape)
        + " (float32; write them in several runs with different --seed values)", elements, itemSize);
  }

  /** Throws when two outputs (both given) name the same file: the second write would replace the first. */
  static void distinct(String option, Path file, String otherOption, Path other) {
    if (file != null && other != null && file.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize())) {
      throw new InvalidInputException(option + " and " + otherOption + " both name '" + file + "'; give each its own file");
    }
  }

  /**
   * Throws unless {@code dir} is, or can be created as, a directory in which files can be created: the missing
   * directories are created and a file is created there and deleted again.
   */
  static Path directory(String option, Path dir) {
    if (dir == null) {
      return null;
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException(option + " names '" + dir + "', which is a file; expected a directory");
    }
    AtomicFiles.checkWritableDirectory(option, dir.toAbsolutePath());
    return dir;
  }
}
