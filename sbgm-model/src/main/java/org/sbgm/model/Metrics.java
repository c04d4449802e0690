package org.sbgm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.sbgm.io.AtomicFiles;
import org.sbgm.train.TrainingListener;

/**
 * The training metrics of a run, one row per step: step, training loss, learning rate and (at
 * validation steps) the validation loss; written to {@code metrics.csv} with the header
 * {@code step,loss,lr,val_loss}.
 */
public final class Metrics implements TrainingListener {
  /** One step's metrics; {@code validationLoss} is null except at validation steps. */
  public record Row(long step, double loss, double lr, Double validationLoss) {}

  private final TreeMap<Long, Row> rows = new TreeMap<>();

  @Override
  public synchronized void onStep(long step, double loss, double learningRate) {
    Row old = rows.get(step);
    rows.put(step, new Row(step, loss, learningRate, old == null ? null : old.validationLoss()));
  }

  @Override
  public synchronized void onValidation(long step, double loss) {
    Row old = rows.get(step);
    rows.put(step, old == null ? new Row(step, Double.NaN, Double.NaN, loss) : new Row(step, old.loss(), old.lr(), loss));
  }

  /** The rows in step order. */
  public synchronized List<Row> rows() {
    return new ArrayList<>(rows.values());
  }

  /** Drops rows after {@code step} (when a run resumes from a checkpoint of that step). */
  public synchronized void truncateAfter(long step) {
    rows.tailMap(step, false).clear();
  }

  /** The CSV text. */
  public synchronized String csv() {
    StringBuilder sb = new StringBuilder("step,loss,lr,val_loss\n");
    for (Row r : rows.values()) {
      sb.append(r.step()).append(',').append(num(r.loss())).append(',').append(num(r.lr())).append(',')
          .append(r.validationLoss() == null ? "" : num(r.validationLoss())).append('\n');
    }
    return sb.toString();
  }

  /** Writes the CSV atomically. */
  public void write(Path file) {
    try {
      AtomicFiles.write(file, csv().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics file '" + file + "': " + e.getMessage(), e);
    }
  }

  /** Reads a metrics file written by {@link #write} (an unreadable or foreign file gives no rows). */
  public static Metrics read(Path file) {
    Metrics m = new Metrics();
    if (!Files.isRegularFile(file)) {
      return m;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] c = line.split(",", -1);
        if (c.length != 4) {
          continue;
        }
        m.rows.put(Long.parseLong(c[0]), new Row(Long.parseLong(c[0]), parse(c[1]), parse(c[2]),
            c[3].isEmpty() ? null : parse(c[3])));
      }
    } catch (IOException | NumberFormatException e) {
      return new Metrics();
    }
    return m;
  }

  private static double parse(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }
}
