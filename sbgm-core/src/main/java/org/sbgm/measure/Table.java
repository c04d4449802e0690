package org.sbgm.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of measurements, written as Markdown (for docs/) or CSV.
 *
 * @param title a heading
 * @param columns the column names
 * @param rows the cells, one list per row, as formatted text
 */
public record Table(String title, List<String> columns, List<List<String>> rows) {
  /** Copies the lists. */
  public Table {
    columns = List.copyOf(columns);
    List<List<String>> copy = new ArrayList<>();
    for (List<String> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException("a row has " + r.size() + " cells for " + columns.size() + " columns");
      }
      copy.add(List.copyOf(r));
    }
    rows = List.copyOf(copy);
  }

  /** The table as GitHub Markdown, under a level-3 heading. */
  public String markdown() {
    StringBuilder s = new StringBuilder("### ").append(title).append("\n\n| ");
    s.append(String.join(" | ", columns)).append(" |\n|");
    for (int i = 0; i < columns.size(); i++) {
      s.append("---|");
    }
    s.append('\n');
    for (List<String> r : rows) {
      s.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return s.append('\n').toString();
  }

  /** The table as CSV (cells are numbers and plain names; commas in a cell are replaced by semicolons). */
  public String csv() {
    StringBuilder s = new StringBuilder(String.join(",", columns)).append('\n');
    for (List<String> r : rows) {
      s.append(String.join(",", r.stream().map(c -> c.replace(',', ';')).toList())).append('\n');
    }
    return s.toString();
  }

  /** A number in 3 significant digits (scientific below 1e-3), or "—" for NaN. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(java.util.Locale.ROOT, "%.2e", v)
        : String.format(java.util.Locale.ROOT, "%.3g", v);
  }
}
