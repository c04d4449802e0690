package org.sbgm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

class BenchResultTest {
  @TempDir Path dir;

  @Test
  void jsonRoundTripsEveryField() throws Exception {
    List<BenchResult> results = List.of(BenchResult.of("mlp-train-256", 141058, "(note)", new double[] {1.25, 0.1 + 0.2, 3}),
        BenchResult.of("sgemm-2048", 0, null, new double[] {7.5}).withExtra("GFLOP/s=99.0"));
    Path f = dir.resolve("bench.json");
    BenchResult.writeJson(f, results, 2);
    assertTrue(Files.readString(f).contains("\"threads\" : 2"), Files.readString(f));
    List<BenchResult> back = BenchResult.readJson(f);
    assertEquals(2, back.size());
    for (int i = 0; i < 2; i++) {
      BenchResult a = results.get(i);
      BenchResult b = back.get(i);
      assertEquals(a.line(), b.line());
      assertEquals(a.medianMs(), b.medianMs(), 0.0);
      assertArrayEquals(a.samplesMs(), b.samplesMs(), 0.0);
      assertEquals(a.extra(), b.extra());
      assertEquals(a.parameters(), b.parameters());
      assertEquals(a.note(), b.note());
    }
    Files.writeString(f, "{\"threads\": 1}");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> BenchResult.readJson(f));
    assertTrue(e.getMessage().contains("no \"results\" array"), e.getMessage());
    Files.writeString(f, "{\"results\": [");
    assertThrows(InvalidInputException.class, () -> BenchResult.readJson(f));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, BenchResult.median(new double[] {5, 1, 3}));
    assertEquals(2.5, BenchResult.median(new double[] {4, 1, 3, 2}));
    assertEquals(7.0, BenchResult.median(new double[] {7}));
  }

  @Test
  void lineFormatOfTheReference() {
    BenchResult r = BenchResult.of("mlp-train-256", 141058, "(note)", new double[] {1.23456, 9, 0.5});
    assertEquals("mlp-train-256\t1.235\tparams=141058\t(note)", r.line());
    assertEquals("sgemm-2048\t1.235\tGFLOP/s=99.0\t(note)", BenchResult.of("sgemm-2048", 0, "(note)",
        new double[] {1.23456}).withExtra("GFLOP/s=99.0").line());
  }
}
