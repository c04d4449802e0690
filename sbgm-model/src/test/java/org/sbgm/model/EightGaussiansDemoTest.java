package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Toy;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The demo's measurements on the exact mixture (an oracle model): its held-out NLL is the truth's and its map is
 * the true log-density, up to the solver and ε; and the demo directory is prepared without touching a stranger's.
 */
class EightGaussiansDemoTest {
  @TempDir Path dir;

  static final Model ORACLE = Model.oracle(Toy.eightGaussiansMixture(), new VpSde());

  @Test
  void theExactMixtureScoresItsOwnNllAndLogDensity() {
    EightGaussiansDemo demo = new EightGaussiansDemo(ORACLE, 3);
    EightGaussiansDemo.HeldOut h = demo.heldOut(300);
    assertEquals(600, h.points().length);
    assertTrue(h.trueNll() > 2.5 && h.trueNll() < 3.2, "the eight-Gaussians entropy is about 2.84 nats: " + h.trueNll());
    assertEquals(0, h.gap(), 0.01, "model " + h.modelNll() + " vs truth " + h.trueNll());
    assertEquals(h.modelNll() - h.trueNll(), h.gap(), 0.0);
    assertTrue(h.nfe() > 10);
    int n = 4;
    double[][] map = demo.likelihoodMap(n);
    double step = 2 * EightGaussiansDemo.WINDOW / n;
    try (PointerScope scope = new PointerScope()) {
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          double[] xy = {-EightGaussiansDemo.WINDOW + (c + 0.5) * step, -EightGaussiansDemo.WINDOW + (r + 0.5) * step};
          double truth = Toy.eightGaussiansLogDensity(Torch.tensor(xy, DType.FLOAT64, 1, 2)).item_double();
          assertEquals(truth, map[r][c], 0.01 * Math.abs(truth) + 0.02, "cell (" + r + ", " + c + ")");
        }
      }
      ModelSamples em = demo.emSamples(50, null);
      assertEquals(50, em.x().size(0));
      assertEquals(EightGaussiansDemo.EM_STEPS, em.nfe());
    }
    assertThrows(InvalidInputException.class, () -> demo.heldOut(1));
  }

  @Test
  void aStrangersDirectoryIsRefusedAndAnEarlierDemoIsCleared() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("thesis.tex"), "keep");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> EightGaussiansDemo.prepareDirectory(foreign));
    assertTrue(e.getMessage().contains("does not hold an earlier demo"), e.getMessage());
    assertEquals("keep", Files.readString(foreign.resolve("thesis.tex")));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThrows(InvalidInputException.class, () -> EightGaussiansDemo.prepareDirectory(file));

    Path earlier = Files.createDirectories(dir.resolve("demo/model"));
    Files.writeString(earlier.resolve("checkpoint.pt"), "old");
    Files.writeString(dir.resolve("demo/summary.txt"), "train_steps=5\n");
    EightGaussiansDemo.prepareDirectory(dir.resolve("demo"));
    assertFalse(Files.exists(earlier.resolve("checkpoint.pt")), "the earlier model's files are cleared");
    assertTrue(Files.isDirectory(earlier));
    EightGaussiansDemo.prepareDirectory(dir.resolve("new/nested"));
    assertTrue(Files.isDirectory(dir.resolve("new/nested")));
  }
}
