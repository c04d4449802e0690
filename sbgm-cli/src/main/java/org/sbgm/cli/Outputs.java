package org.sbgm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Checks on output paths, made before any long work so that a bad path fails at once. */
final class Outputs {
  private Outputs() {}

  /** Throws unless {@code file} can be a new or replaced file with extension {@code ext} (e.g. ".npy"). */
  static Path file(String option, Path file, String ext) {
    if (file == null) {
      return null;
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (!name.toLowerCase(Locale.ROOT).endsWith(ext)) {
      throw new UserError(option + " must name a " + ext + " file, got '" + file + "'");
    }
    if (Files.isDirectory(file)) {
      throw new UserError(option + " names '" + file + "', which is a directory; expected a " + ext + " file");
    }
    Path parent = file.toAbsolutePath().getParent();
    for (Path p = parent; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new UserError(option + " cannot be written: '" + p + "' is a file, not a directory");
        }
        if (!Files.isWritable(p) && p.equals(parent)) {
          throw new UserError(option + " cannot be written: directory '" + p + "' is not writable");
        }
        break;
      }
    }
    return file;
  }

  /** Throws unless {@code dir} is absent, an empty directory, or (when {@code mayExist}) any directory. */
  static void directory(String option, Path dir, boolean mayExist, String hint) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(option + " names '" + dir + "', which is a file; expected a directory");
    }
    if (!mayExist && Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new UserError(option + " directory '" + dir + "' already exists and is not empty; " + hint);
        }
      } catch (java.io.IOException e) {
        throw new UserError("cannot list " + option + " directory '" + dir + "': " + e.getMessage(), e);
      }
    }
  }
}
