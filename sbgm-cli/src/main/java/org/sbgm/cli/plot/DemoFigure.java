package org.sbgm.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The demo's four-panel figure in the manner of Song et al. (2021, arXiv 2011.13456) and sbgm's README:
 * (a) the training data, (b) the model's log-likelihood log p_θ(x) from the probability-flow ODE with
 * the exact divergence on a grid over the support (grey scale, with a colour bar) and the data overlaid
 * in red, (c) samples from the probability-flow ODE and (d) samples from the reverse SDE by
 * Euler–Maruyama. All panels share one square window with equal axes.
 */
public final class DemoFigure {
  private static final int PLOT = 340;
  private static final int LEFT = 64;
  private static final int RIGHT = 26;
  private static final int TOP = 44;
  private static final int BOTTOM = 62;
  private static final int BAR = 100;
  private static final int CAPTION = 34;

  /**
   * What to draw.
   *
   * @param window the half-width L of the window [-L, L]²
   * @param data training points, interleaved x, y
   * @param logLikelihood log p_θ on the grid: [row][col], row 0 at y = -L, cells centred on the grid
   * @param depth the grey scale spans [max - depth, max] of the log-likelihood (lower values are white)
   * @param overlay held-out data points drawn in red on the heat map
   * @param odeSamples probability-flow ODE samples, interleaved
   * @param emSamples Euler–Maruyama samples, interleaved
   * @param titles the four panel titles
   * @param caption one line under the panels
   */
  public record Content(double window, double[] data, double[][] logLikelihood, double depth, double[] overlay,
      double[] odeSamples, double[] emSamples, String[] titles, String caption) {}

  private DemoFigure() {}

  /** Draws the figure. */
  public static BufferedImage render(Content c) {
    int panel = LEFT + PLOT + RIGHT;
    int width = 4 * panel + BAR;
    int height = TOP + PLOT + BOTTOM + CAPTION;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    double l = c.window();
    Color ink = new Color(20, 20, 20, 70);
    Color red = new Color(214, 39, 40, 120);
    int x0 = 0;
    for (int k = 0; k < 4; k++) {
      Axes axes = new Axes(g, new Rectangle(x0 + LEFT, TOP, PLOT, PLOT), -l, l, -l, l);
      switch (k) {
        case 0 -> axes.scatter(c.data(), ink, 1.3);
        case 1 -> {
          double hi = max(c.logLikelihood());
          axes.heatMap(c.logLikelihood(), hi - c.depth(), hi);
          axes.scatter(c.overlay(), red, 1.0);
          Axes.colourBar(g, new Rectangle(x0 + LEFT + PLOT + 14, TOP, 16, PLOT), hi - c.depth(), hi, "log p\u03B8(x)  [nats]");
        }
        case 2 -> axes.scatter(c.odeSamples(), ink, 1.3);
        default -> axes.scatter(c.emSamples(), ink, 1.3);
      }
      axes.decorate("x\u2081", "x\u2082", c.titles()[k]);
      x0 += panel + (k == 1 ? BAR : 0);
    }
    g.setColor(new Color(60, 60, 60));
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 14));
    int w = g.getFontMetrics().stringWidth(c.caption());
    g.drawString(c.caption(), (width - w) / 2, height - 14);
    g.dispose();
    return img;
  }

  private static double max(double[][] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double[] row : v) {
      for (double x : row) {
        if (x > m) {
          m = x;
        }
      }
    }
    return m;
  }
}
