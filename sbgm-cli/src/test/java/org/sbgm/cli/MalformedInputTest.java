package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every file of the malformed-input corpus ({@code src/test/resources/malformed/cases.txt}) through
 * the {@code sbgm} command: each must exit with status 2 and one line on stderr, without a stack trace,
 * that names the file and contains the expected description of the problem; and nothing may change:
 * no output file, no new file or folder anywhere in the working copy, every existing file byte for byte.
 */
class MalformedInputTest {
  @TempDir static Path work;

  /**
   * One case: the corpus path, the command template, the file the message names, the fragments it contains.
   */
  record Case(String path, String command, String names, List<String> fragments) {
    @Override
    public String toString() {
      return path;
    }
  }

  static Path corpus() {
    try {
      return Path.of(MalformedInputTest.class.getResource("/malformed/cases.txt").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (String line : Files.readAllLines(corpus().resolve("cases.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] c = line.split("\\|", -1);
      if (c.length != 4) {
        throw new IllegalStateException("cases.txt: expected 'path | command | names | fragments', got: " + line);
      }
      String path = c[0].strip();
      String names = c[2].isBlank() ? Path.of(path).getFileName().toString() : c[2].strip();
      out.add(new Case(path, c[1].strip(), names, Arrays.stream(c[3].split(" ; ")).map(String::strip).toList()));
    }
    return out;
  }

  @BeforeAll
  static void copyTheCorpus() throws IOException {
    Path from = corpus();
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path to = work.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
  }

  @Test
  void theCorpusHoldsAtLeastFortyFilesEachWithItsCase() throws IOException {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 40, "cases: " + cases.size());
    for (Case c : cases) {
      assertTrue(Files.exists(corpus().resolve(c.path())), c.path() + " is listed but not in the corpus");
    }
    try (Stream<Path> s = Files.list(corpus())) {
      for (Path group : (Iterable<Path>) s::iterator) {
        if (!Files.isDirectory(group) || group.getFileName().toString().equals("good")) {
          continue;
        }
        try (Stream<Path> members = Files.list(group)) {
          for (Path m : (Iterable<Path>) members::iterator) {
            String rel = corpus().relativize(m).toString();
            assertTrue(cases.stream().anyMatch(c -> c.path().equals(rel)), rel + " is in the corpus but has no case");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyMalformedFileIsRefusedInOneLineAndNothingChanges(Case c) throws Exception {
    Map<String, String> before = snapshot(work);
    String command = c.command().replace("{case}", work.resolve(c.path()).toString())
        .replace("{good}", work.resolve("good").toString())
        .replace("{out}", work.resolve("good/existing-output.npy").toString())
        .replace("{new}", work.resolve("never-written").toString());
    List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
    args.addAll(List.of("--quiet", "--threads", "1"));
    List<String> fragments = new ArrayList<>(c.fragments());
    fragments.add(0, c.names());
    Cli.userError(args.toArray(new String[0]), fragments.toArray(new String[0]));
    assertEquals(before, snapshot(work), "the command changed files of the working copy");
  }

  /** Every file and folder under {@code root}: its relative path and, for files, the SHA-256 of its bytes. */
  static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          m.put(rel + "/", "");
        } else {
          MessageDigest d = MessageDigest.getInstance("SHA-256");
          try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
              d.update(buf, 0, n);
            }
          }
          m.put(rel, HexFormat.of().formatHex(d.digest()));
        }
      }
    }
    return m;
  }
}
