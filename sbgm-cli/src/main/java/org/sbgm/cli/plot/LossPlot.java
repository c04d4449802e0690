package org.sbgm.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sbgm.model.Metrics;

/**
 * The loss curve (XChart): the training loss per step (light), its running mean over about 2% of the
 * steps (dark) and the validation loss (EMA weights, fixed times and noise) as markers, on a log y axis.
 */
public final class LossPlot {
  private LossPlot() {}

  /** Writes the plot of {@code metrics} as PNG bytes to {@code out}. */
  public static void write(Metrics metrics, String title, OutputStream out) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step")
        .yAxisTitle("denoising score-matching loss").build();
    Styler s = chart.getStyler();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmicDecadeOnly(false); // label 0.2, 0.3, ... within a decade too
    chart.getStyler().setYAxisDecimalPattern("0.###");
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.BLACK);
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setLegendBorderColor(new Color(200, 200, 200));
    s.setChartTitleBoxBorderColor(Color.WHITE);
    s.setChartTitleBoxBackgroundColor(Color.WHITE);
    s.setChartTitleFont(new Font(Font.SERIF, Font.PLAIN, 17));
    s.setLegendFont(new Font(Font.SERIF, Font.PLAIN, 13));
    chart.getStyler().setAxisTitleFont(new Font(Font.SERIF, Font.PLAIN, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SERIF, Font.PLAIN, 13));
    List<Metrics.Row> rows = metrics.rows();
    if (!rows.isEmpty()) {
      // An invisible first series of 21 evenly spaced points from step 0: with it XChart places its
      // ticks on round steps (with only dense series it puts them on every k-th data point).
      double last = rows.get(rows.size() - 1).step();
      double level = Double.isFinite(rows.get(0).loss()) && rows.get(0).loss() > 0 ? rows.get(0).loss() : 1;
      double[] gx = new double[21];
      double[] gy = new double[21];
      for (int i = 0; i <= 20; i++) {
        gx[i] = last * i / 20;
        gy[i] = level;
      }
      XYSeries grid = chart.addSeries(" ", gx, gy);
      grid.setMarker(SeriesMarkers.NONE);
      grid.setLineColor(new Color(0, 0, 0, 0));
      grid.setShowInLegend(false);
    }
    List<Double> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (Metrics.Row r : rows) {
      if (Double.isFinite(r.loss()) && r.loss() > 0) {
        steps.add((double) r.step());
        losses.add(r.loss());
      }
    }
    if (!steps.isEmpty()) {
      int stride = Math.max(1, steps.size() / 3000);
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < steps.size(); i += stride) {
        xs.add(steps.get(i));
        ys.add(losses.get(i));
      }
      XYSeries raw = chart.addSeries("training loss", xs, ys);
      raw.setMarker(SeriesMarkers.NONE);
      raw.setLineColor(new Color(31, 119, 180, 60));
      raw.setLineStyle(new BasicStroke(0.8f));
      int window = Math.max(1, steps.size() / 50);
      List<Double> mean = new ArrayList<>();
      double sum = 0;
      for (int i = 0; i < steps.size(); i++) {
        sum += losses.get(i);
        if (i >= window) {
          sum -= losses.get(i - window);
        }
        mean.add(sum / Math.min(i + 1, window));
      }
      List<Double> mx = new ArrayList<>();
      List<Double> my = new ArrayList<>();
      for (int i = 0; i < steps.size(); i += stride) {
        mx.add(steps.get(i));
        my.add(mean.get(i));
      }
      XYSeries smooth = chart.addSeries("running mean (" + window + " steps)", mx, my);
      smooth.setMarker(SeriesMarkers.NONE);
      smooth.setLineColor(new Color(31, 119, 180));
      smooth.setLineStyle(new BasicStroke(2f));
    }
    List<Double> vx = new ArrayList<>();
    List<Double> vy = new ArrayList<>();
    for (Metrics.Row r : rows) {
      if (r.validationLoss() != null && Double.isFinite(r.validationLoss()) && r.validationLoss() > 0) {
        vx.add((double) r.step());
        vy.add(r.validationLoss());
      }
    }
    if (!vx.isEmpty()) {
      XYSeries v = chart.addSeries("validation loss (EMA weights)", vx, vy);
      v.setMarker(SeriesMarkers.CIRCLE);
      v.setMarkerColor(new Color(214, 39, 40));
      v.setLineColor(new Color(214, 39, 40));
      v.setLineStyle(new BasicStroke(1.2f));
    }
    if (steps.isEmpty() && vx.isEmpty()) {
      chart.addSeries("training loss", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
    }
    out.write(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
