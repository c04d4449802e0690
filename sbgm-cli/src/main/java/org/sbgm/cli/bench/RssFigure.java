package org.sbgm.cli.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.sbgm.bench.MemorySoak;
import org.sbgm.cli.plot.Png;

/** The figure of a {@link MemorySoak}: RSS against the training step, and against the sample and likelihood calls. */
final class RssFigure {
  private RssFigure() {}

  static void write(MemorySoak.Result r, Path png) throws IOException {
    XYChart train = chart("(a) training the demo's MLP", "step", r, List.of("train"));
    XYChart calls = chart("(b) sample and log-likelihood calls", "call", r, List.of("sample", "loglik"));
    BufferedImage a = BitmapEncoder.getBufferedImage(train);
    BufferedImage b = BitmapEncoder.getBufferedImage(calls);
    BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, both.getWidth(), both.getHeight());
    g.drawImage(a, 0, 0, null);
    g.drawImage(b, a.getWidth(), 0, null);
    g.dispose();
    Png.write(both, png);
  }

  private static XYChart chart(String title, String x, MemorySoak.Result r, List<String> phases) {
    XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x).yAxisTitle("resident memory (MiB)").build();
    var s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.BLACK);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleBoxBorderColor(Color.WHITE);
    s.setChartTitleBoxBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideSE);
    s.setChartTitleFont(new Font(Font.SERIF, Font.PLAIN, 16));
    s.setLegendFont(new Font(Font.SERIF, Font.PLAIN, 13));
    s.setAxisTitleFont(new Font(Font.SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SERIF, Font.PLAIN, 12));
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (String p : phases) {
      List<MemorySoak.Sample> ss = r.phase(p);
      double[] xs = ss.stream().mapToDouble(MemorySoak.Sample::index).toArray();
      double[] ys = ss.stream().mapToDouble(MemorySoak.Sample::rssMiB).toArray();
      for (double y : ys) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
      XYSeries series = c.addSeries(String.format(Locale.ROOT, "%s (growth after warm-up %.1f%%)", p, 100 * r.growth(p)), xs, ys);
      series.setLineColor(p.equals("loglik") ? new Color(200, 60, 40) : new Color(30, 80, 160));
      series.setMarkerColor(series.getLineColor());
    }
    double pad = Math.max(5, 0.1 * (hi - lo));
    s.setYAxisMin(Math.max(0, lo - pad));
    s.setYAxisMax(hi + pad);
    return c;
  }
}
