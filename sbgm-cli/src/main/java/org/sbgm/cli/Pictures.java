package org.sbgm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.cli.plot.ImageGrid;
import org.sbgm.cli.plot.Png;
import org.sbgm.cli.plot.ScatterPlot;
import org.sbgm.data.Transform;
import org.sbgm.model.Model;
import org.sbgm.model.Trajectory;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The pictures {@code sbgm sample} draws: a sample grid or scatter plot, and a trajectory strip. */
final class Pictures {
  private static final int MAX_GRID = 256;

  private Pictures() {}

  /** Samples (data units) as an image grid, or 2-D points as a scatter plot. */
  static void samples(Model source, Tensor samples, Path file) throws IOException {
    long[] shape = source.sampleShape();
    if (shape.length == 3) {
      int k = (int) Math.min(MAX_GRID, samples.size(0));
      ImageGrid.Images images = images(Torch.toFloats(samples.narrow(0, 0, k)), k, shape);
      double[] range = source.isImage() ? new double[] {0, 255} : ImageGrid.robustRange(images.pixels());
      int columns = (int) Math.ceil(Math.sqrt(k));
      Png.write(ImageGrid.grid(images, range[0], range[1], columns, scale(shape)), file);
    } else {
      double[] xy = Torch.toDoubles(samples);
      double[] w = ScatterPlot.window(xy);
      Png.write(ScatterPlot.row(new double[][] {xy}, new String[] {samples.size(0) + " samples"}, w[0], w[1]), file);
    }
  }

  /** x_t at the recorded times: a strip of images (model units) or a row of scatter plots (data units). */
  static void trajectory(Model source, Trajectory t, Path file) throws IOException {
    long[] shape = source.sampleShape();
    List<float[]> frames = t.frames();
    double[] times = t.times();
    int per = (int) Torch.perSampleSizeOf(prepend(shape));
    int k = frames.get(0).length / per;
    if (shape.length == 3) {
      ImageGrid.Images[] strip = new ImageGrid.Images[frames.size()];
      for (int i = 0; i < strip.length; i++) {
        strip[i] = images(frames.get(i), k, shape);
      }
      double[] range = source.isImage() ? new double[] {-1, 1}
          : ImageGrid.robustRange(strip[strip.length - 1].pixels());
      Png.write(ImageGrid.strip(strip, times, range[0], range[1], scale(shape)), file);
      return;
    }
    Transform transform = source.transform(null);
    double[][] points = new double[frames.size()][];
    String[] titles = new String[frames.size()];
    try (PointerScope scope = new PointerScope()) {
      for (int i = 0; i < points.length; i++) {
        double[] v = new double[frames.get(i).length];
        for (int j = 0; j < v.length; j++) {
          v[j] = frames.get(i)[j];
        }
        Tensor y = Torch.tensor(v, DType.FLOAT64, k, 2);
        points[i] = Torch.toDoubles(transform.inverse(y));
        titles[i] = String.format(Locale.ROOT, "t = %.3g", times[i]);
      }
    }
    double[] w = ScatterPlot.window(points[points.length - 1]);
    Png.write(ScatterPlot.row(points, titles, w[0], w[1]), file);
  }

  private static ImageGrid.Images images(float[] flat, int count, long[] chw) {
    int c = (int) chw[0];
    int h = (int) chw[1];
    int w = (int) chw[2];
    int per = c * h * w;
    float[][] px = new float[count][per];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * per, px[i], 0, per);
    }
    return new ImageGrid.Images(px, c, h, w);
  }

  private static int scale(long[] chw) {
    return (int) Math.max(1, Math.min(8, 84 / Math.max(chw[1], chw[2])));
  }

  private static long[] prepend(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = 1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}
