package org.sbgm.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sbgm.InvalidInputException;

/**
 * SHA-256 checksums of the files of a directory, kept in {@value #FILE_NAME} in the format of
 * {@code sha256sum}: one line {@code <64 hex digits><two spaces><relative path>} per file, sorted by
 * path, paths relative to the directory with {@code /} separators. Regular files in
 * sub-directories are included; the manifest itself and hidden entries (names starting with a dot,
 * such as the temporary files of {@link AtomicFiles}) are not.
 */
public final class Manifest {
  /** The manifest's file name inside the directory. */
  public static final String FILE_NAME = "manifest.sha256";

  private Manifest() {}

  /** Computes the checksums of {@code dir}'s files and writes them atomically to its manifest. */
  public static Map<String, String> write(Path dir) throws IOException {
    Map<String, String> sums = compute(dir);
    StringBuilder text = new StringBuilder();
    sums.forEach((name, hex) -> text.append(hex).append("  ").append(name).append('\n'));
    AtomicFiles.write(dir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    return sums;
  }

  /** The checksums of {@code dir}'s files, by relative path, sorted (nothing is written). */
  public static Map<String, String> compute(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "expected a directory to checksum");
    }
    Map<String, String> sums = new TreeMap<>();
    for (Path file : listFiles(dir)) {
      sums.put(relative(dir, file), sha256(file));
    }
    return sums;
  }

  /** Reads the manifest of {@code dir}: relative path to hex checksum, sorted. */
  public static Map<String, String> read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "the directory has no manifest to verify against");
    }
    Map<String, String> sums = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (line.length() < 67 || !line.substring(0, 64).matches("[0-9a-f]{64}") || !line.startsWith("  ", 64)) {
        throw new InvalidInputException("Manifest '" + file + "' line " + (i + 1)
            + " is malformed: expected 64 lowercase hex digits, two spaces and a file name, found '" + line + "'.");
      }
      sums.put(line.substring(66), line.substring(0, 64));
    }
    return sums;
  }

  /**
   * Checks every file of {@code dir} against its manifest.
   *
   * @throws org.sbgm.InvalidInputException naming the first file (in sorted order) whose checksum
   *     differs, that is listed but missing, or that is present but has no checksum in the manifest
   * @throws IOException when a file cannot be read
   */
  public static void verify(Path dir) throws IOException {
    Map<String, String> expected = read(dir);
    Map<String, String> seen = new TreeMap<>();
    for (Path file : listFiles(dir)) {
      seen.put(relative(dir, file), null);
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException("File '" + file + "' is listed in " + FILE_NAME + " but missing.");
      }
      String actual = sha256(file);
      if (!actual.equals(e.getValue())) {
        throw new InvalidInputException("File '" + file + "' has SHA-256 " + actual + " but " + FILE_NAME + " expects "
            + e.getValue() + "; the file is corrupt or was changed.");
      }
    }
    for (String name : seen.keySet()) {
      if (!expected.containsKey(name)) {
        throw new InvalidInputException("File '" + dir.resolve(name) + "' has no checksum in " + FILE_NAME + ".");
      }
    }
  }

  /** The SHA-256 of a file's bytes as 64 lowercase hex digits. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir))
          .filter(p -> !hidden(dir, p))
          .filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).toString().equals(FILE_NAME))
          .forEach(files::add);
    }
    return files;
  }

  private static boolean hidden(Path dir, Path p) {
    for (Path part : dir.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }
}
