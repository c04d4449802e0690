package org.sbgm.cli.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Contour lines by marching squares (the credible levels they are drawn at come from
 * {@link org.sbgm.inference.Marginals#credibleLevel}).
 */
public final class Contours {
  private Contours() {}

  /**
   * The segments of the level-{@code level} contour of {@code values[row][col]}, sampled at x = {@code xs[col]},
   * y = {@code ys[row]}: each segment is {x0, y0, x1, y1}.
   */
  public static List<double[]> at(double[][] values, double[] xs, double[] ys, double level) {
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r + 1 < values.length; r++) {
      for (int c = 0; c + 1 < values[0].length; c++) {
        double a = values[r][c];
        double b = values[r][c + 1];
        double d = values[r + 1][c];
        double e = values[r + 1][c + 1];
        // edges: bottom (a-b), right (b-e), top (d-e), left (a-d); crossing points where the level is passed
        List<double[]> points = new ArrayList<>(4);
        cross(points, a, b, xs[c], ys[r], xs[c + 1], ys[r], level);
        cross(points, b, e, xs[c + 1], ys[r], xs[c + 1], ys[r + 1], level);
        cross(points, d, e, xs[c], ys[r + 1], xs[c + 1], ys[r + 1], level);
        cross(points, a, d, xs[c], ys[r], xs[c], ys[r + 1], level);
        if (points.size() == 2) {
          out.add(new double[] {points.get(0)[0], points.get(0)[1], points.get(1)[0], points.get(1)[1]});
        } else if (points.size() == 4) {
          // a saddle: join by the centre's side
          boolean centreAbove = (a + b + d + e) / 4 >= level;
          boolean aAbove = a >= level;
          int[][] pairs = centreAbove == aAbove ? new int[][] {{0, 1}, {2, 3}} : new int[][] {{0, 3}, {1, 2}};
          for (int[] p : pairs) {
            out.add(new double[] {points.get(p[0])[0], points.get(p[0])[1], points.get(p[1])[0], points.get(p[1])[1]});
          }
        }
      }
    }
    return out;
  }

  private static void cross(List<double[]> points, double v0, double v1, double x0, double y0, double x1, double y1,
      double level) {
    if ((v0 >= level) == (v1 >= level)) {
      return;
    }
    double f = (level - v0) / (v1 - v0);
    points.add(new double[] {x0 + f * (x1 - x0), y0 + f * (y1 - y0)});
  }
}
