package org.sbgm.io;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sbgm.InvalidInputException;

/**
 * The JSON header of a safetensors file, checked: every entry's dtype known, its shape non-negative,
 * its byte range the size its dtype and shape need, and the ranges filling the data area exactly in
 * offset order (no gap, no overlap), so that nothing is allocated for a file whose sizes disagree.
 *
 * @param entries the tensors in header order
 * @param metadata the optional {@code __metadata__} map of strings
 * @param dataBytes the size of the data area the entries cover
 */
public record SafeTensorsHeader(Map<String, Entry> entries, Map<String, String> metadata, long dataBytes) {
  /** The key of the free-form metadata. */
  public static final String METADATA = "__metadata__";
  private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

  /**
   * One tensor: its element type, its shape, and its bytes [begin, end) in the data area.
   *
   * @param name the tensor's name
   * @param dtype its element type
   * @param shape its dimensions (empty for a scalar)
   * @param begin offset of its first byte in the data area
   * @param end offset one past its last byte
   */
  public record Entry(String name, SafeTensorsDtype dtype, long[] shape, long begin, long end) {
    @Override
    public long[] shape() {
      return shape.clone();
    }
  }

  /** Parses and checks header bytes from file {@code source}. */
  static SafeTensorsHeader parse(byte[] bytes, String source) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw bad(source, "has a header that is not UTF-8 text");
    }
    if (!text.startsWith("{")) {
      throw bad(source, "has a header that does not start with '{'; expected a JSON object (is it a safetensors file?)");
    }
    Object root;
    try {
      root = JsonText.parse(text);
    } catch (JsonText.SyntaxException e) {
      throw bad(source, "has a malformed JSON header: " + e.getMessage());
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) root).entrySet()) {
      if (e.getKey().equals(METADATA)) {
        if (!(e.getValue() instanceof Map<?, ?> m)) {
          throw bad(source, "has a " + METADATA + " that is not an object of strings");
        }
        for (Map.Entry<?, ?> kv : m.entrySet()) {
          if (!(kv.getValue() instanceof String s)) {
            throw bad(source, "has the " + METADATA + " value '" + kv.getKey() + "' that is not a string");
          }
          metadata.put((String) kv.getKey(), s);
        }
      } else {
        entries.put(e.getKey(), entry(e.getKey(), e.getValue(), source));
      }
    }
    return new SafeTensorsHeader(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata),
        checkTiling(entries, source));
  }

  private static Entry entry(String name, Object value, String source) {
    if (!(value instanceof Map<?, ?> m)) {
      throw bad(source, "describes tensor '" + name + "' with something other than an object of dtype, shape and data_offsets");
    }
    for (Object k : m.keySet()) {
      if (!ENTRY_KEYS.contains(k)) {
        throw bad(source, "describes tensor '" + name + "' with the unknown key '" + k + "'; expected dtype, shape and data_offsets");
      }
    }
    if (!(m.get("dtype") instanceof String dtypeName)) {
      throw bad(source, "gives tensor '" + name + "' no dtype string");
    }
    SafeTensorsDtype dtype = SafeTensorsDtype.byName(dtypeName);
    if (dtype == null) {
      throw bad(source, "stores tensor '" + name + "' as dtype '" + dtypeName + "', but only "
          + SafeTensorsDtype.names() + " are supported");
    }
    long[] shape = integers(m.get("shape"), -1, "the shape of tensor '" + name + "'", source);
    long[] offsets = integers(m.get("data_offsets"), 2, "the data_offsets of tensor '" + name + "'", source);
    long count = 1;
    long bytes;
    try {
      for (long s : shape) {
        count = Math.multiplyExact(count, s);
      }
      bytes = Math.multiplyExact(count, dtype.itemSize());
    } catch (ArithmeticException e) {
      throw bad(source, "gives tensor '" + name + "' the shape " + Arrays.toString(shape) + ", too large to hold");
    }
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
      throw bad(source, "gives tensor '" + name + "' (" + dtypeName + ", shape " + Arrays.toString(shape) + ", "
          + bytes + " bytes) the data_offsets [" + offsets[0] + ", " + offsets[1] + "]; expected a range of "
          + bytes + " bytes");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  /** A list of non-negative integers that fit a long ({@code length} of them unless it is negative). */
  private static long[] integers(Object value, int length, String what, String source) {
    if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
      throw bad(source, "has " + what + " that is not a list of " + (length >= 0 ? length + " " : "") + "integers");
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof BigInteger b) || b.signum() < 0 || b.bitLength() > 62) {
        throw bad(source, "has " + what + " holding " + list.get(i) + "; expected non-negative integers");
      }
      out[i] = b.longValue();
    }
    return out;
  }

  /** The size of the data area: the entries, in offset order, must tile [0, size) exactly. */
  private static long checkTiling(Map<String, Entry> entries, String source) {
    List<Entry> byOffset = new ArrayList<>(entries.values());
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long end = 0;
    String previous = null;
    for (Entry e : byOffset) {
      if (e.begin() != end) {
        throw bad(source, "places tensor '" + e.name() + "' at bytes [" + e.begin() + ", " + e.end() + ") of the data, but "
            + (previous == null ? "the data start at 0" : "the previous tensor '" + previous + "' ends at " + end)
            + "; expected the tensors to fill the data without gaps or overlaps");
      }
      end = e.end();
      previous = e.name();
    }
    return end;
  }

  /**
   * The header bytes for tensors laid out in {@code order} (offsets consecutive from 0), the metadata
   * first with sorted keys, without spaces, padded with spaces to a multiple of 8 bytes (as the Hugging
   * Face writer does, so the data start 8-byte aligned).
   */
  static byte[] encode(List<Entry> order, Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder("{");
    if (metadata != null && !metadata.isEmpty()) {
      sb.append(JsonText.quote(METADATA)).append(":{");
      String sep = "";
      for (Map.Entry<String, String> kv : new TreeMap<>(metadata).entrySet()) {
        sb.append(sep).append(JsonText.quote(kv.getKey())).append(':').append(JsonText.quote(kv.getValue()));
        sep = ",";
      }
      sb.append('}');
    }
    for (Entry e : order) {
      sb.append(sb.length() > 1 ? "," : "").append(JsonText.quote(e.name())).append(":{\"dtype\":")
          .append(JsonText.quote(e.dtype().name())).append(",\"shape\":[");
      long[] shape = e.shape();
      for (int i = 0; i < shape.length; i++) {
        sb.append(i > 0 ? "," : "").append(shape[i]);
      }
      sb.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
    }
    sb.append('}');
    byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  static InvalidInputException bad(String source, String problem) {
    return new InvalidInputException("File '" + source + "' " + problem + ".");
  }
}
