package org.sbgm.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report's Markdown, character for character, and its atomic write into a directory that does not exist yet. */
class ReportTest {
  @TempDir Path dir;

  private static Report report() {
    Table a = new Table("first", List.of("x", "y"), List.of(List.of("1", Table.number(0.5)), List.of("2", Table.number(1e-4))));
    Table b = new Table("second", List.of("only"), List.of(List.of("z")));
    return new Report("A study", "What was measured.", List.of(a, b));
  }

  @Test
  void markdownIsHeadingProvenanceNotesAndTables() {
    String md = report().markdown("sbgm measure x", LocalDate.of(2026, 12, 8), 12.4, 1);
    assertEquals("# A study\n\nWritten by `sbgm measure x` on 2026-12-08 (12 s, 1 thread). What was measured."
        + System.lineSeparator() + System.lineSeparator()
        + "### first\n\n| x | y |\n|---|---|\n| 1 | 0.500 |\n| 2 | 1.00e-04 |\n\n"
        + "### second\n\n| only |\n|---|\n| z |\n\n", md);
    assertTrue(report().markdown("p", LocalDate.of(2026, 1, 2), 99.6, 2).contains("on 2026-01-02 (100 s, 2 threads). "));
  }

  @Test
  void writeCreatesTheDirectoryAndReplacesTheFileWhole() throws Exception {
    Path file = dir.resolve("docs/sub/study.md");
    report().write(file, "prog", 3);
    String first = Files.readString(file);
    assertTrue(first.startsWith("# A study\n\nWritten by `prog` on " + LocalDate.now() + " (3 s, "), first);
    new Report("Another", "n", List.of()).write(file, "prog", 3);
    assertTrue(Files.readString(file).startsWith("# Another\n"));
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left beside the report");
    }
  }

  @Test
  void studyReportsCarryTheirSettingsInTheNotes() {
    assertTrue(new SamplerStudy(123, new int[] {10}).notes().contains("same 123 prior draws"));
    assertTrue(new SamplerStudy(123, new int[] {10}).notes().contains(SamplerStudy.FLOOR_PAIRS + " independent sets"));
    assertTrue(new InverseStudy(77).notes().contains("77 posterior samples per run"));
  }
}
