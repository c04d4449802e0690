package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static String run(boolean terminal) {
    StringWriter text = new StringWriter();
    Progress p = new Progress(new PrintWriter(text), false, terminal);
    try (Progress.Bar bar = p.bar("sample em", 200, "steps")) {
      for (int i = 0; i < 200; i++) {
        bar.step();
      }
      bar.extra("loss 0.5");
    }
    return text.toString();
  }

  @Test
  void logsGetWholeLinesOnlyTheFirstAndTheLast() {
    String out = run(false);
    assertFalse(out.contains("\r"), out);
    String[] lines = out.strip().split("\n");
    assertTrue(lines.length >= 1 && lines.length <= 2, out);
    assertTrue(lines[lines.length - 1].contains("200/200"), out);
    assertTrue(lines[lines.length - 1].matches(".*steps/s loss 0\\.5$"), out);
    assertTrue(lines[0].startsWith("sample em"), out);
  }

  @Test
  void terminalsGetOneLineRedrawnInPlace() {
    String out = run(true);
    assertTrue(out.contains("\r"), out);
    assertTrue(out.endsWith(System.lineSeparator()), out);
    assertEquals(1, out.strip().split("\n").length, out);
    assertTrue(out.contains("200/200"), out);
  }

  @Test
  void quietWritesNothing() {
    StringWriter text = new StringWriter();
    Progress p = new Progress(new PrintWriter(text), true, true);
    try (Progress.Bar bar = p.bar("train", 10, "steps")) {
      bar.stepTo(10);
    }
    p.note("a note");
    assertEquals("", text.toString());
  }
}
