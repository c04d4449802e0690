package org.sbgm.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One panel of a figure drawn with Java2D: a plot rectangle mapping the data window
 * [xMin, xMax] × [yMin, yMax] onto pixels, a frame with outward ticks, tick labels, axis labels and a
 * title, in a serif font like a paper figure. Scatter points and heat maps are clipped to the window.
 */
public final class Axes {
  static final Font TICK = new Font(Font.SERIF, Font.PLAIN, 13);
  static final Font LABEL = new Font(Font.SERIF, Font.ITALIC, 15);
  static final Font TITLE = new Font(Font.SERIF, Font.PLAIN, 16);

  private final Graphics2D g;
  private final Rectangle plot;
  private final double xMin;
  private final double xMax;
  private final double yMin;
  private final double yMax;

  /** Axes whose plot area is {@code plot} (pixels) showing the given data window. */
  public Axes(Graphics2D g, Rectangle plot, double xMin, double xMax, double yMin, double yMax) {
    this.g = g;
    this.plot = plot;
    this.xMin = xMin;
    this.xMax = xMax;
    this.yMin = yMin;
    this.yMax = yMax;
  }

  /** The plot rectangle. */
  public Rectangle plot() {
    return plot;
  }

  public double px(double x) {
    return plot.x + (x - xMin) / (xMax - xMin) * plot.width;
  }

  public double py(double y) {
    return plot.y + plot.height - (y - yMin) / (yMax - yMin) * plot.height;
  }

  /** Points (x_i, y_i) from interleaved {@code xy} as filled discs. */
  public void scatter(double[] xy, Color color, double radius) {
    java.awt.Shape clip = g.getClip();
    g.clip(plot);
    g.setColor(color);
    for (int i = 0; i + 1 < xy.length; i += 2) {
      double cx = px(xy[i]);
      double cy = py(xy[i + 1]);
      g.fill(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius));
    }
    g.setClip(clip);
  }

  /**
   * A heat map of {@code values[row][col]} on a regular grid covering the window (row 0 at the bottom),
   * grey from white at {@code lo} to black at {@code hi} (values outside are clamped).
   */
  public void heatMap(double[][] values, double lo, double hi) {
    int rows = values.length;
    int cols = values[0].length;
    BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        img.setRGB(c, rows - 1 - r, grey(values[r][c], lo, hi).getRGB());
      }
    }
    Object hint = g.getRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION);
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, plot.x, plot.y, plot.width, plot.height, null);
    if (hint != null) {
      g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, hint);
    }
  }

  /** A polyline through (x_i, y_i), clipped to the window; dashed when {@code dashed}. */
  public void line(double[] x, double[] y, Color color, float width, boolean dashed) {
    java.awt.Shape clip = g.getClip();
    java.awt.Stroke stroke = g.getStroke();
    g.clip(plot);
    g.setColor(color);
    g.setStroke(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
        : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
    for (int i = 0; i < x.length; i++) {
      if (i == 0) {
        path.moveTo(px(x[i]), py(y[i]));
      } else {
        path.lineTo(px(x[i]), py(y[i]));
      }
    }
    g.draw(path);
    g.setStroke(stroke);
    g.setClip(clip);
  }

  /** Line segments (x0, y0, x1, y1 quadruples in {@code segments}), clipped to the window. */
  public void segments(List<double[]> segments, Color color, float width, boolean dashed) {
    for (double[] s : segments) {
      line(new double[] {s[0], s[2]}, new double[] {s[1], s[3]}, color, width, dashed);
    }
  }

  /** A heat map as {@link #heatMap} on a white-to-{@code hue} scale. */
  public void heatMap(double[][] values, double lo, double hi, Color hue) {
    int rows = values.length;
    int cols = values[0].length;
    BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double u = Double.isNaN(values[r][c]) ? 0 : Math.max(0, Math.min(1, (values[r][c] - lo) / (hi - lo)));
        int red = (int) Math.round(255 + u * (hue.getRed() - 255));
        int green = (int) Math.round(255 + u * (hue.getGreen() - 255));
        int blue = (int) Math.round(255 + u * (hue.getBlue() - 255));
        img.setRGB(c, rows - 1 - r, new Color(red, green, blue).getRGB());
      }
    }
    g.drawImage(img, plot.x, plot.y, plot.width, plot.height, null);
  }

  /** The grey of {@code v} on the white-to-black scale from lo to hi. */
  public static Color grey(double v, double lo, double hi) {
    double u = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    int level = (int) Math.round(255 * (1 - u));
    return new Color(level, level, level);
  }

  /** A vertical colour bar in {@code bar} for the scale lo..hi, with ticks and a rotated label. */
  public static void colourBar(Graphics2D g, Rectangle bar, double lo, double hi, String label) {
    for (int y = 0; y < bar.height; y++) {
      double v = hi - (hi - lo) * y / Math.max(1, bar.height - 1);
      g.setColor(grey(v, lo, hi));
      g.drawLine(bar.x, bar.y + y, bar.x + bar.width - 1, bar.y + y);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(bar.x, bar.y, bar.width, bar.height);
    g.setFont(TICK);
    FontMetrics fm = g.getFontMetrics();
    int widest = 0;
    for (double t : ticks(lo, hi, 6)) {
      int y = (int) Math.round(bar.y + bar.height - (t - lo) / (hi - lo) * bar.height);
      g.drawLine(bar.x + bar.width, y, bar.x + bar.width + 4, y);
      String s = format(t);
      widest = Math.max(widest, fm.stringWidth(s));
      g.drawString(s, bar.x + bar.width + 7, y + fm.getAscent() / 2 - 1);
    }
    g.setFont(LABEL);
    AffineTransform old = g.getTransform();
    int lx = bar.x + bar.width + 14 + widest + g.getFontMetrics().getAscent();
    g.rotate(-Math.PI / 2, lx, bar.y + bar.height / 2.0);
    g.drawString(label, lx - g.getFontMetrics().stringWidth(label) / 2, bar.y + bar.height / 2);
    g.setTransform(old);
  }

  /** Frame, ticks, tick labels, axis labels and the title above the plot. */
  public void decorate(String xLabel, String yLabel, String title) {
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawRect(plot.x, plot.y, plot.width, plot.height);
    g.setFont(TICK);
    FontMetrics fm = g.getFontMetrics();
    for (double t : ticks(xMin, xMax, 5)) {
      int x = (int) Math.round(px(t));
      g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 5);
      String s = format(t);
      g.drawString(s, x - fm.stringWidth(s) / 2, plot.y + plot.height + 7 + fm.getAscent());
    }
    int widest = 0;
    for (double t : ticks(yMin, yMax, 5)) {
      int y = (int) Math.round(py(t));
      g.drawLine(plot.x - 5, y, plot.x, y);
      String s = format(t);
      widest = Math.max(widest, fm.stringWidth(s));
      g.drawString(s, plot.x - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
    }
    g.setFont(LABEL);
    FontMetrics lm = g.getFontMetrics();
    if (xLabel != null) {
      g.drawString(xLabel, plot.x + (plot.width - lm.stringWidth(xLabel)) / 2,
          plot.y + plot.height + 12 + fm.getHeight() + lm.getAscent());
    }
    if (yLabel != null) {
      AffineTransform old = g.getTransform();
      int lx = plot.x - 14 - widest;
      g.rotate(-Math.PI / 2, lx, plot.y + plot.height / 2.0);
      g.drawString(yLabel, lx - lm.stringWidth(yLabel) / 2, plot.y + plot.height / 2);
      g.setTransform(old);
    }
    if (title != null) {
      g.setFont(TITLE);
      FontMetrics tm = g.getFontMetrics();
      g.drawString(title, plot.x + (plot.width - tm.stringWidth(title)) / 2, plot.y - 10);
    }
  }

  /** About {@code target} round tick values within [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
  static List<Double> ticks(double lo, double hi, int target) {
    double raw = (hi - lo) / Math.max(1, target);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
      out.add(Math.abs(t) < 1e-12 * step ? 0.0 : t);
    }
    return out;
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return String.format(Locale.ROOT, "%d", (long) v).replace('-', '\u2212');
    }
    String s = String.format(Locale.ROOT, "%.3g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.replace('-', '\u2212');
  }
}
