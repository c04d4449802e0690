package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sbgm.RunFailedException;
import org.sbgm.measure.Report;

/** The inpainting study's figures from a hand-made result, its rows and its report with a diverged method. */
class GrfInpaintingReportTest {
  private static GrfInpainting.Result result() {
    float[] four = {0, 0, 0, 0};
    return new GrfInpainting.Result(four, four, new float[] {1, 0, 0, 1}, new float[] {1, 2, 3, 4}, new float[] {0.5f, 0.25f, 2, 1},
        new float[] {1.5f, 1, 3, 4}, new float[] {0.5f, 3, 1, 1}, new float[][] {four}, 0.125, 0.97, 1.5, 200, 100);
  }

  @Test
  void differenceAndScalesArePerPixel() {
    GrfInpainting.Result r = result();
    assertArrayEquals(new float[] {0.5f, -1, 0, 0}, r.meanDifference());
    assertEquals(1, r.meanDifferenceMax());
    assertEquals(3, r.stdMax()); // the model's 3 beats the exact 2
  }

  @Test
  void rowsReportSuccessAndDivergence() {
    GrfInpainting study = new GrfInpainting(1, 3, 8, 0.01);
    GrfInpainting.Attempt diverged = new GrfInpainting.Attempt(new PosteriorSpec("dps", 50, null, null, null), 64,
        Optional.empty(), "the state became NaN");
    GrfInpainting.Attempt ok = new GrfInpainting.Attempt(new PosteriorSpec("mmps", 20, null, null, null), 64,
        Optional.of(result()), null);
    assertEquals(List.of("dps (50 steps)", "64", "diverged: the state became NaN", "—", "—", "—", "—"), diverged.row());
    assertEquals(List.of("mmps (20 steps)", "64", "0.125", "0.970", "1.50", "200", "100"), ok.row());
    assertEquals(ok, GrfInpainting.firstSucceeded(List.of(diverged, ok)));
    RunFailedException e = assertThrows(RunFailedException.class, () -> GrfInpainting.firstSucceeded(List.of(diverged)));
    assertTrue(e.getMessage().contains("every posterior method diverged") && e.getMessage().contains("NaN"), e.getMessage());

    Report report = study.report(List.of(diverged, ok));
    assertEquals(1, report.tables().size());
    assertEquals(List.of(diverged.row(), ok.row()), report.tables().get(0).rows());
    String md = report.markdown("sbgm measure grf", LocalDate.of(2026, 12, 8), 80, 1);
    assertTrue(md.startsWith("# Inpainting Gaussian random fields"), md);
    assertTrue(md.contains("a centred 8 × 8 square hidden, the rest observed with σ_y = 0.01."), md);
    assertTrue(md.contains("### GRF inpainting at (A, B) = (1.0, 3.0)"), md);
  }
}
