package org.sbgm.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sbgm.inference.GridPosterior;
import org.sbgm.inference.Marginals;

/**
 * Posterior figures: a corner plot (marginal densities on the diagonal, 68% and 95% highest-density contours
 * of every pair below it) of one or more posteriors drawn over each other, and, for two parameters on a
 * grid, heat maps of each posterior side by side with their marginals. The true parameters, when known,
 * are drawn as lines and a star.
 */
public final class PosteriorPlot {
  private static final int PANEL = 230;
  private static final int GAP = 26;
  private static final int LEFT = 70;
  private static final int TOP = 50;
  private static final int BOTTOM = 80;
  private static final double[] LEVELS = {0.68, 0.95};

  private PosteriorPlot() {}

  /** A posterior's marginals ({@link Marginals}) drawn in one colour, dashed or solid, under a name in the legend. */
  public record Layer(String name, Color color, boolean dashed, Marginals marginals) {
    double[][] centres() {
      return marginals.centres();
    }

    double[][] density() {
      return marginals.density();
    }

    double[][][][] joint() {
      return marginals.joint();
    }
  }

  /** The layer of MCMC draws {@code [n][P]} binned over {@code ranges} ({@code [P][2]}) in {@code bins} bins. */
  public static Layer fromSamples(String name, Color color, double[][] samples, double[][] ranges, int bins) {
    return new Layer(name, color, false, Marginals.ofSamples(samples, ranges, bins));
  }

  /** The layer of a grid posterior (P ≤ 2). */
  public static Layer fromGrid(String name, Color color, boolean dashed, GridPosterior.Result r) {
    return new Layer(name, color, dashed, Marginals.ofGrid(r));
  }

  /** The corner plot of {@code layers} over {@code ranges}. */
  public static BufferedImage corner(List<Layer> layers, String[] labels, double[][] ranges, double[] truth, String title) {
    int p = labels.length;
    int size = LEFT + p * PANEL + (p - 1) * GAP + 30;
    BufferedImage img = canvas(size, TOP + p * PANEL + (p - 1) * GAP + BOTTOM + 18 * layers.size());
    Graphics2D g = img.createGraphics();
    hints(g);
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        Rectangle r = new Rectangle(LEFT + j * (PANEL + GAP), TOP + i * (PANEL + GAP), PANEL, PANEL);
        if (i == j) {
          marginal(g, r, layers, j, ranges[j], truth, labels[j], i == p - 1);
        } else {
          joint(g, r, layers, i, j, ranges, truth, i == p - 1 ? labels[j] : null, j == 0 ? labels[i] : null, false);
        }
      }
    }
    legend(g, layers, LEFT, TOP + p * PANEL + (p - 1) * GAP + BOTTOM - 8);
    title(g, title, size);
    g.dispose();
    return img;
  }

  /**
   * Two parameters on grids: one heat map per layer with its credible contours, side by side, then the two
   * marginals with every layer drawn over each other.
   */
  public static BufferedImage sideBySide(List<Layer> layers, String[] labels, double[][] ranges, double[] truth, String title) {
    int panels = layers.size() + 2;
    int width = LEFT + panels * PANEL + (panels - 1) * (GAP + 30) + 30;
    BufferedImage img = canvas(width, TOP + PANEL + BOTTOM + 18 * layers.size());
    Graphics2D g = img.createGraphics();
    hints(g);
    for (int l = 0; l < layers.size(); l++) {
      Rectangle r = new Rectangle(LEFT + l * (PANEL + GAP + 30), TOP, PANEL, PANEL);
      joint(g, r, List.of(layers.get(l)), 1, 0, ranges, truth, labels[0], labels[1], true);
      g.setFont(Axes.TITLE);
      g.setColor(Color.BLACK);
      g.drawString(layers.get(l).name(), r.x + 4, r.y - 8);
    }
    for (int j = 0; j < 2; j++) {
      Rectangle r = new Rectangle(LEFT + (layers.size() + j) * (PANEL + GAP + 30), TOP, PANEL, PANEL);
      marginal(g, r, layers, j, ranges[j], truth, labels[j], true);
    }
    legend(g, layers, LEFT, TOP + PANEL + BOTTOM - 8);
    title(g, title, width);
    g.dispose();
    return img;
  }

  private static void marginal(Graphics2D g, Rectangle r, List<Layer> layers, int j, double[] range, double[] truth,
      String label, boolean xLabel) {
    double top = 0;
    for (Layer l : layers) {
      top = Math.max(top, Arrays.stream(l.density()[j]).max().orElse(0));
    }
    Axes a = new Axes(g, r, range[0], range[1], 0, 1.08 * Math.max(top, 1e-12));
    for (Layer l : layers) {
      a.line(l.centres()[j], l.density()[j], l.color(), 1.8f, l.dashed());
    }
    if (truth != null) {
      a.line(new double[] {truth[j], truth[j]}, new double[] {0, 1.08 * top}, new Color(30, 90, 200), 1.2f, false);
    }
    a.decorate(xLabel ? label : null, null, null);
  }

  private static void joint(Graphics2D g, Rectangle r, List<Layer> layers, int i, int j, double[][] ranges, double[] truth,
      String xLabel, String yLabel, boolean heat) {
    Axes a = new Axes(g, r, ranges[j][0], ranges[j][1], ranges[i][0], ranges[i][1]);
    if (heat) {
      double[][] m = layers.get(0).joint()[i][j];
      double max = Arrays.stream(m).flatMapToDouble(Arrays::stream).max().orElse(1);
      a.heatMap(resample(m, layers.get(0).centres()[j], layers.get(0).centres()[i], ranges[j], ranges[i]), 0, max,
          new Color(60, 60, 60));
    }
    for (Layer l : layers) {
      double[][] m = l.joint()[i][j];
      for (double level : LEVELS) {
        double v = Marginals.credibleLevel(m, level);
        Color onHeat = level == LEVELS[0] ? Color.WHITE : new Color(230, 120, 0);
        a.segments(Contours.at(m, l.centres()[j], l.centres()[i], v), heat ? onHeat : l.color(),
            level == LEVELS[0] ? 1.8f : 1.1f, l.dashed() && !heat);
      }
    }
    if (truth != null) {
      g.setColor(new Color(30, 90, 200));
      double cx = a.px(truth[j]);
      double cy = a.py(truth[i]);
      g.fill(new Ellipse2D.Double(cx - 4, cy - 4, 8, 8));
    }
    a.decorate(xLabel, yLabel, null);
  }

  /** A joint mass on its bin centres as a heat-map grid over the window (rows bottom-up), by nearest bin. */
  private static double[][] resample(double[][] m, double[] xs, double[] ys, double[] xr, double[] yr) {
    int n = 120;
    double[][] out = new double[n][n];
    for (int r = 0; r < n; r++) {
      double y = yr[0] + (r + 0.5) * (yr[1] - yr[0]) / n;
      int row = nearest(ys, y);
      for (int c = 0; c < n; c++) {
        double x = xr[0] + (c + 0.5) * (xr[1] - xr[0]) / n;
        int col = nearest(xs, x);
        out[r][c] = row < 0 || col < 0 ? 0 : m[row][col];
      }
    }
    return out;
  }

  private static int nearest(double[] centres, double v) {
    double h = centres.length > 1 ? centres[1] - centres[0] : 1;
    int i = (int) Math.floor((v - centres[0]) / h + 0.5);
    return i < 0 || i >= centres.length ? -1 : i;
  }

  private static void legend(Graphics2D g, List<Layer> layers, int x, int y) {
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 14));
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      int yy = y + 18 * l;
      g.setColor(layer.color());
      g.setStroke(new java.awt.BasicStroke(2f));
      g.drawLine(x, yy - 5, x + 24, yy - 5);
      g.setColor(Color.BLACK);
      g.drawString(layer.name() + (layer.dashed() ? " (dashed)" : ""), x + 32, yy);
    }
  }

  private static void title(Graphics2D g, String title, int width) {
    if (title == null) {
      return;
    }
    g.setFont(Axes.TITLE);
    g.setColor(Color.BLACK);
    g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
  }

  private static BufferedImage canvas(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return img;
  }

  private static void hints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
  }

  /** A list of layers, for callers. */
  public static List<Layer> layers(Layer... l) {
    return new ArrayList<>(Arrays.asList(l));
  }
}
