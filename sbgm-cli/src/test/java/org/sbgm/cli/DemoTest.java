package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A very short demo run: every summary key is there and consistent, and the figures are written. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void shortDemoWritesTheSummaryAndFigures() throws Exception {
    Path out = dir.resolve("demo");
    Cli.Result r = Cli.ok("demo", "--out", out.toString(), "--steps", "30", "--points", "200", "--grid", "16",
        "--samples", "200", "--quiet");
    Map<String, String> v = r.values();
    for (String key : List.of("test_nll_nats", "true_nll_nats", "nll_gap_nats", "ode_nfe", "train_steps", "seconds")) {
      assertTrue(v.containsKey(key), "missing " + key + " in\n" + r.out());
    }
    assertEquals(30, r.number("train_steps"));
    double trueNll = r.number("true_nll_nats");
    assertTrue(trueNll > 2.5 && trueNll < 3.2, "the eight-Gaussians entropy is about 2.84 nats, got " + trueNll);
    assertEquals(r.number("test_nll_nats") - trueNll, r.number("nll_gap_nats"), 2e-4);
    assertTrue(r.number("ode_nfe") > 0 && r.number("seconds") > 0);
    BufferedImage fig = ImageIO.read(out.resolve("figure2.png").toFile());
    assertTrue(fig.getWidth() > 3 * fig.getHeight(), "four panels in a row");
    assertTrue(Files.size(out.resolve("loss.png")) > 1000);
    assertEquals(r.out(), Files.readString(out.resolve("summary.txt")));
    // A second run into the same directory replaces the earlier demo.
    Cli.ok("demo", "--out", out.toString(), "--steps", "5", "--points", "50", "--grid", "4", "--samples", "50", "--quiet");
    assertTrue(Files.readString(out.resolve("summary.txt")).contains("train_steps=5"));
  }
}
