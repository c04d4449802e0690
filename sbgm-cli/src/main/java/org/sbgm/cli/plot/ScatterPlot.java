package org.sbgm.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Scatter plots of 2-D points: one panel, or a row of panels sharing one window (e.g. x_t at several t). */
public final class ScatterPlot {
  private static final int PLOT = 300;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;

  private ScatterPlot() {}

  /** A row of panels, {@code points[k]} interleaved x, y, titled {@code titles[k]}, in the window [lo, hi]². */
  public static BufferedImage row(double[][] points, String[] titles, double lo, double hi) {
    int panel = LEFT + PLOT + RIGHT;
    BufferedImage img = new BufferedImage(panel * points.length, TOP + PLOT + BOTTOM, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int k = 0; k < points.length; k++) {
      Axes axes = new Axes(g, new Rectangle(k * panel + LEFT, TOP, PLOT, PLOT), lo, hi, lo, hi);
      axes.scatter(points[k], new Color(20, 20, 20, 80), 1.3);
      axes.decorate("x\u2081", "x\u2082", titles[k]);
    }
    g.dispose();
    return img;
  }

  /** A square window [lo, hi]² holding (nearly) all the points: the 0.5% and 99.5% quantiles padded by 10%. */
  public static double[] window(double[]... points) {
    int n = 0;
    for (double[] p : points) {
      n += p.length;
    }
    double[] all = new double[n];
    int at = 0;
    for (double[] p : points) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    java.util.Arrays.sort(all);
    double lo = all[(int) (0.005 * (n - 1))];
    double hi = all[(int) (0.995 * (n - 1))];
    double pad = 0.1 * Math.max(hi - lo, 1e-6);
    return new double[] {lo - pad, hi + pad};
  }
}
