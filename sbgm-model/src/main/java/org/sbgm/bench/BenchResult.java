package org.sbgm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sbgm.InvalidInputException;
import org.sbgm.io.AtomicFiles;

/**
 * The timing of one workload: the median over the timed repetitions, in milliseconds.
 *
 * @param name the workload's name
 * @param medianMs the median of {@code samplesMs}
 * @param parameters the model's parameter count ({@code params=} in the line), or -1 when the line
 *     carries another figure instead ({@code extra})
 * @param note what the time covers
 * @param samplesMs every timed repetition, in milliseconds, in the order run
 * @param extra for a line without a parameter count, its third field (e.g. {@code GFLOP/s=...}); else null
 */
public record BenchResult(String name, double medianMs, long parameters, String note, double[] samplesMs,
    String extra) {
  /** Copies the samples. */
  public BenchResult {
    samplesMs = samplesMs.clone();
  }

  /** The median of {@code values} (the mean of the two middle values for an even count). */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the median needs at least one value, got none");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** A result from its timed samples. */
  public static BenchResult of(String name, long parameters, String note, double[] samplesMs) {
    return new BenchResult(name, median(samplesMs), parameters, note, samplesMs, null);
  }

  /** This result with {@code note} as its note. */
  public BenchResult withNote(String note) {
    return new BenchResult(name, medianMs, parameters, note, samplesMs, extra);
  }

  /** This result with a third field other than a parameter count. */
  public BenchResult withExtra(String extraField) {
    return new BenchResult(name, medianMs, -1, note, samplesMs, extraField);
  }

  /**
   * The line in the reference's format: {@code NAME <tab> ms (3 decimals) <tab> params=N <tab> note}
   * (or the extra field in place of {@code params=N}).
   */
  public String line() {
    String third = extra != null ? extra : "params=" + parameters;
    String s = String.format(Locale.ROOT, "%s\t%.3f\t%s", name, medianMs, third);
    return note == null || note.isEmpty() ? s : s + "\t" + note;
  }

  /**
   * Writes {@code results} as one JSON document (atomically): {@code {"threads": T, "results": [{"name", "median_ms",
   * "params" or "extra", "note", "samples_ms"}, ...]}}, what {@code sbgm bench --json} writes.
   */
  public static void writeJson(Path file, List<BenchResult> results, int threads) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (BenchResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("median_ms", r.medianMs());
      if (r.extra() == null) {
        m.put("params", r.parameters());
      } else {
        m.put("extra", r.extra());
      }
      m.put("note", r.note());
      m.put("samples_ms", r.samplesMs());
      rows.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("threads", threads);
    doc.put("results", rows);
    AtomicFiles.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
  }

  /**
   * The results of a document that {@link #writeJson} wrote.
   *
   * @throws InvalidInputException naming the file and what is missing when it is not such a document
   */
  public static List<BenchResult> readJson(Path file) throws IOException {
    JsonNode doc;
    try {
      doc = new ObjectMapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException("bench file '" + file + "' is not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode rows = doc == null ? null : doc.get("results");
    if (rows == null || !rows.isArray()) {
      throw new InvalidInputException("bench file '" + file + "' has no \"results\" array; expected what sbgm bench --json writes");
    }
    List<BenchResult> out = new ArrayList<>();
    for (JsonNode r : rows) {
      JsonNode samples = r.get("samples_ms");
      if (r.get("name") == null || r.get("median_ms") == null || samples == null || !samples.isArray()) {
        throw new InvalidInputException("bench file '" + file + "': result " + out.size()
            + " lacks name, median_ms or samples_ms");
      }
      double[] ms = new double[samples.size()];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = samples.get(i).asDouble();
      }
      JsonNode note = r.get("note");
      String noteText = note == null || note.isNull() ? null : note.asText();
      JsonNode extra = r.get("extra");
      out.add(new BenchResult(r.get("name").asText(), r.get("median_ms").asDouble(),
          extra == null ? r.path("params").asLong(-1) : -1, noteText, ms, extra == null ? null : extra.asText()));
    }
    return out;
  }
}
