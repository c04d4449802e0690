package org.sbgm.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Reads a comma-separated file of numbers into a {@code [rows, columns]} table. The first line is a
 * header when none of its cells is a number; blank lines are skipped; cells are trimmed (and may be
 * double-quoted). Every row must have as many cells as the first, every cell must be a finite
 * number, and a violation names the file, the 1-based line and column, and the cell.
 */
public final class Csv {
  private Csv() {}

  /**
   * A parsed table.
   *
   * @param header the column names, empty when the file has no header line
   * @param rows the number of data rows
   * @param columns the number of columns
   * @param values the values in row-major order
   */
  public record Table(List<String> header, int rows, int columns, double[] values) {
    /** The values as a {@code [rows, columns]} tensor of {@code dtype}. */
    public Tensor tensor(DType dtype) {
      return Torch.tensor(values, dtype, rows, columns);
    }
  }

  /** Reads {@code file} into a {@code [rows, columns]} tensor of {@code dtype}. */
  public static Tensor read(Path file, DType dtype) throws IOException {
    return table(file).tensor(dtype);
  }

  /** Reads {@code file} into a {@link Table}. */
  public static Table table(Path file) throws IOException {
    List<String> header = List.of();
    double[] values = new double[1024];
    int count = 0;
    int rows = 0;
    int columns = -1;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (columns < 0) {
          columns = cells.length;
          if (rows == 0 && header.isEmpty() && noneNumeric(cells)) {
            List<String> names = new ArrayList<>();
            for (String c : cells) {
              names.add(unquote(c));
            }
            header = List.copyOf(names);
            continue;
          }
        }
        if (cells.length != columns) {
          throw new InvalidInputException("File '" + file + "' line " + lineNo + " has " + cells.length
              + " cells, expected " + columns + " like the first line.");
        }
        for (int c = 0; c < cells.length; c++) {
          String cell = unquote(cells[c]);
          double v;
          try {
            v = Double.parseDouble(cell);
          } catch (NumberFormatException e) {
            throw new InvalidInputException("File '" + file + "' line " + lineNo + ", column " + (c + 1)
                + ": '" + cell + "' is not a number.");
          }
          if (!Double.isFinite(v)) {
            throw new InvalidInputException("File '" + file + "' line " + lineNo + ", column " + (c + 1)
                + ": '" + cell + "' is not a finite number.");
          }
          if (count == values.length) {
            values = java.util.Arrays.copyOf(values, values.length * 2);
          }
          values[count++] = v;
        }
        rows++;
      }
    }
    if (rows == 0) {
      throw new InvalidInputException("File '" + file + "' holds no data rows; expected comma-separated numbers.");
    }
    return new Table(header, rows, columns, java.util.Arrays.copyOf(values, count));
  }

  private static boolean noneNumeric(String[] cells) {
    for (String c : cells) {
      try {
        Double.parseDouble(unquote(c));
        return false;
      } catch (NumberFormatException e) {
        // a name: keep looking
      }
    }
    return true;
  }

  private static String unquote(String cell) {
    String s = cell.strip();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).strip() : s;
  }
}
