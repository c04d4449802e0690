package org.sbgm.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.cli.plot.ImageGrid;
import org.sbgm.cli.plot.Panels;
import org.sbgm.cli.plot.Png;
import org.sbgm.cli.plot.ScatterPlot;
import org.sbgm.torch.Torch;

/**
 * The picture {@code sbgm posterior --png} draws: for images, the observation, the posterior mean, the
 * per-pixel standard deviation and a few samples (one row per channel of colour images is not drawn:
 * three channels show as RGB); for 2-D points, a scatter plot of the samples.
 */
final class PosteriorPictures {
  private static final int SAMPLES = 6;

  private PosteriorPictures() {}

  /** Whether samples of {@code shape} can be drawn. */
  static boolean drawable(long[] shape) {
    return shape.length == 3 || (shape.length == 1 && shape[0] == 2);
  }

  /** Draws {@code samples} (data units, {@code [n, ...]}) with the observation {@code y} (the operator's output shape). */
  static void draw(long[] shape, Tensor y, long[] observedShape, Tensor samples, String method, Path file) throws IOException {
    try (PointerScope scope = new PointerScope()) {
      if (shape.length != 3) {
        double[] xy = Torch.toDoubles(samples);
        double[] w = ScatterPlot.window(xy);
        Png.write(ScatterPlot.row(new double[][] {xy}, new String[] {samples.size(0) + " posterior samples (" + method + ")"},
            w[0], w[1]), file);
        return;
      }
      int c = (int) shape[0];
      Tensor mean = samples.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
      Tensor std = samples.std(new long[] {0}, false, false);
      int k = (int) Math.min(SAMPLES, samples.size(0));
      float[][] shown = new float[k + 1][];
      shown[0] = Torch.toFloats(mean);
      for (int i = 0; i < k; i++) {
        shown[i + 1] = Torch.toFloats(samples.select(0, i));
      }
      double[] range = ImageGrid.robustRange(shown);
      float[] sd = Torch.toFloats(std);
      double sdMax = 0;
      for (float v : sd) {
        sdMax = Math.max(sdMax, v);
      }
      Panels.Panel[] row = new Panels.Panel[k + 3];
      row[0] = observation(y, observedShape, c, range);
      row[1] = new Panels.Panel("posterior mean\n" + samples.size(0) + " samples", image(shown[0], shape), range[0], range[1]);
      row[2] = new Panels.Panel(String.format(java.util.Locale.ROOT, "std\n0 .. %.3g", sdMax), image(sd, shape), 0,
          sdMax > 0 ? sdMax : 1);
      for (int i = 0; i < k; i++) {
        row[i + 3] = new Panels.Panel("sample " + (i + 1) + "\n" + method, image(shown[i + 1], shape), range[0], range[1]);
      }
      Png.write(Panels.draw(new Panels.Panel[][] {row}, (int) Math.max(64, Math.min(160, 8 * shape[1]))), file);
    }
  }

  private static Panels.Panel observation(Tensor y, long[] observedShape, int channels, double[] range) {
    float[] v = Torch.toFloats(y);
    if (observedShape.length == 3 && observedShape[0] == channels) {
      return new Panels.Panel("observation y", image(v, observedShape), range[0], range[1]);
    }
    // a vector observation (a dense operator): one row of values, its own range
    float[][] one = {v};
    double[] own = ImageGrid.robustRange(one);
    return new Panels.Panel("observation y\n(" + v.length + " values)", new ImageGrid.Images(one, 1, 1, v.length), own[0], own[1]);
  }

  private static ImageGrid.Images image(float[] pixels, long[] chw) {
    return new ImageGrid.Images(new float[][] {pixels}, (int) chw[0], (int) chw[1], (int) chw[2]);
  }
}
