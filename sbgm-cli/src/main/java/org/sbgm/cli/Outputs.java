package org.sbgm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sbgm.InvalidInputException;

/** Checks on option values and output paths, made before any long work so that a bad one fails at once. */
final class Outputs {
  private Outputs() {}

  /** Throws unless {@code value} (when given) is at least {@code min}. */
  static void atLeast(String option, Number value, long min) {
    if (value != null && value.longValue() < min) {
      throw new InvalidInputException(option + " must be at least " + min + ", got " + value);
    }
  }

  /** Throws unless {@code file} can be a new or replaced file with extension {@code ext} (e.g. ".npy"). */
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
    Path parent = file.toAbsolutePath().getParent();
    for (Path p = parent; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new InvalidInputException(option + " cannot be written: '" + p + "' is a file, not a directory");
        }
        if (!Files.isWritable(p) && p.equals(parent)) {
          throw new InvalidInputException(option + " cannot be written: directory '" + p + "' is not writable");
        }
        break;
      }
    }
    return file;
  }
}
