package org.sbgm.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sbgm.io.AtomicFiles;
import org.sbgm.torch.Torch;

/**
 * A measurement written as one Markdown document (the files under docs/): a level-1 heading, a line that
 * says how and when it was made, the notes on method, then the tables.
 *
 * <pre>{@code
 * Report r = SamplerStudy.standard().report(System.err::println);
 * r.write(Path.of("docs/fast-sampling.md"), "my program", seconds);
 * }</pre>
 *
 * @param heading the document's title
 * @param notes what was measured and how (one paragraph)
 * @param tables the measurements
 */
public record Report(String heading, String notes, List<Table> tables) {
  /** Copies the list. */
  public Report {
    Objects.requireNonNull(heading, "heading");
    Objects.requireNonNull(notes, "notes");
    tables = List.copyOf(tables);
  }

  /**
   * The document: "# heading", then "Written by `command` on DATE (S s, T threads). notes", then the tables.
   *
   * @param command what produced it (a command line, or a program's name)
   * @param date the day it was made
   * @param seconds how long the measurement took
   * @param threads the intra-op threads it ran on
   */
  public String markdown(String command, LocalDate date, double seconds, int threads) {
    StringBuilder s = new StringBuilder("# ").append(heading).append("\n\n");
    s.append(String.format(Locale.ROOT, "Written by `%s` on %s (%.0f s, %d thread%s). %s%n%n", command, date, seconds, threads,
        threads == 1 ? "" : "s", notes));
    for (Table t : tables) {
      s.append(t.markdown());
    }
    return s.toString();
  }

  /**
   * Writes {@link #markdown} for today and this process's thread count to {@code file} atomically (a
   * reader never sees half a document; the previous file stays until the new one is complete), creating
   * its directory.
   */
  public void write(Path file, String command, double seconds) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    AtomicFiles.write(file, markdown(command, LocalDate.now(), seconds, Torch.threads()).getBytes(StandardCharsets.UTF_8));
  }
}
