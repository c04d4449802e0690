package org.sbgm.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * Pictures of image samples: a grid of samples, and a strip showing x_t of a few samples at several
 * times t (rows are samples, columns times). Values map linearly from [lo, hi] to 0..255 (clamped);
 * one channel is drawn grey, three as RGB (other channel counts show their first channel).
 */
public final class ImageGrid {
  private static final int PAD = 2;

  private ImageGrid() {}

  /** Images as [n][C·H·W] (C order) with their layout. */
  public record Images(float[][] pixels, int channels, int height, int width) {}

  /** A grid of {@code images} with {@code columns} columns, each pixel drawn as a {@code scale}² block. */
  public static BufferedImage grid(Images images, double lo, double hi, int columns, int scale) {
    int n = images.pixels().length;
    int rows = (n + columns - 1) / columns;
    int cw = images.width() * scale;
    int ch = images.height() * scale;
    BufferedImage img = new BufferedImage(PAD + columns * (cw + PAD), PAD + rows * (ch + PAD), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    for (int i = 0; i < n; i++) {
      draw(img, images, i, lo, hi, PAD + (i % columns) * (cw + PAD), PAD + (i / columns) * (ch + PAD), scale);
    }
    return img;
  }

  /** A strip: {@code frames[time][sample]} images, one column per time labelled with {@code times}. */
  public static BufferedImage strip(Images[] frames, double[] times, double lo, double hi, int scale) {
    int columns = frames.length;
    int rows = frames[0].pixels().length;
    int cw = frames[0].width() * scale;
    int ch = frames[0].height() * scale;
    int label = 26;
    BufferedImage img = new BufferedImage(PAD + columns * (cw + PAD), label + PAD + rows * (ch + PAD), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SERIF, Font.ITALIC, Math.max(11, Math.min(15, cw / 5))));
    FontMetrics fm = g.getFontMetrics();
    for (int k = 0; k < columns; k++) {
      String s = String.format(Locale.ROOT, "t = %.2g", times[k]);
      g.drawString(s, PAD + k * (cw + PAD) + (cw - fm.stringWidth(s)) / 2, label - 8);
    }
    g.dispose();
    for (int k = 0; k < columns; k++) {
      for (int r = 0; r < rows; r++) {
        draw(img, frames[k], r, lo, hi, PAD + k * (cw + PAD), label + PAD + r * (ch + PAD), scale);
      }
    }
    return img;
  }

  /** The 1st and 99th percentiles of every value shown (a display range robust to outliers). */
  public static double[] robustRange(float[][] values) {
    int total = 0;
    for (float[] v : values) {
      total += v.length;
    }
    float[] all = new float[total];
    int at = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    Arrays.sort(all);
    double lo = all[(int) (0.01 * (all.length - 1))];
    double hi = all[(int) (0.99 * (all.length - 1))];
    return hi > lo ? new double[] {lo, hi} : new double[] {lo - 1, lo + 1};
  }

  static void draw(BufferedImage img, Images images, int index, double lo, double hi, int x0, int y0, int scale) {
    float[] p = images.pixels()[index];
    int h = images.height();
    int w = images.width();
    boolean rgb = images.channels() == 3;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = level(p[y * w + x], lo, hi);
        int gr = rgb ? level(p[(h + y) * w + x], lo, hi) : r;
        int b = rgb ? level(p[(2 * h + y) * w + x], lo, hi) : r;
        int argb = (r << 16) | (gr << 8) | b;
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, argb);
          }
        }
      }
    }
  }

  private static int level(float v, double lo, double hi) {
    double u = (v - lo) / (hi - lo);
    return (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(u) ? 0 : u)));
  }
}
