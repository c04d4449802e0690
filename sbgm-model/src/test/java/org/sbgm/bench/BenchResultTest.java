package org.sbgm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BenchResultTest {
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
