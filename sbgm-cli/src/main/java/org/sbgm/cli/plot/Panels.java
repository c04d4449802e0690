package org.sbgm.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Rows of titled image panels, each with its own display range, e.g. an inverse problem's observation,
 * posterior mean, per-pixel standard deviation and samples. Panels in a row may differ in size (a
 * downsampled observation is drawn at its own resolution, scaled to the row's height).
 */
public final class Panels {
  private static final int PAD = 6;
  private static final int LABEL = 34;

  private Panels() {}

  /**
   * One panel: a single image ({@code image.pixels()} has one entry) drawn from [lo, hi] to black..white.
   *
   * @param title up to two short lines, separated by '\n'
   */
  public record Panel(String title, ImageGrid.Images image, double lo, double hi) {}

  /** {@code rows} of panels; each pixel of a panel of height h is a block of {@code height / h} screen pixels. */
  public static BufferedImage draw(Panel[][] rows, int height) {
    int width = 0;
    int[] rowWidths = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      int w = PAD;
      for (Panel p : rows[r]) {
        w += scale(p, height) * p.image().width() + PAD;
      }
      rowWidths[r] = w;
      width = Math.max(width, w);
    }
    int rowHeight = LABEL + height + PAD;
    BufferedImage img = new BufferedImage(width, PAD + rows.length * rowHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    for (int r = 0; r < rows.length; r++) {
      int x = PAD;
      int y = PAD + r * rowHeight;
      for (Panel p : rows[r]) {
        int s = scale(p, height);
        int w = s * p.image().width();
        String[] lines = p.title().split("\n");
        for (int i = 0; i < lines.length && i < 2; i++) {
          g.drawString(lines[i], x + Math.max(0, (w - fm.stringWidth(lines[i])) / 2), y + 13 + 14 * i);
        }
        int top = y + LABEL + (height - s * p.image().height()) / 2;
        ImageGrid.draw(img, p.image(), 0, p.lo(), p.hi(), x, top, s);
        x += w + PAD;
      }
    }
    g.dispose();
    return img;
  }

  private static int scale(Panel p, int height) {
    return Math.max(1, height / p.image().height());
  }
}
