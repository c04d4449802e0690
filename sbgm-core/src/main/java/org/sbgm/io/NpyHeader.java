package org.sbgm.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sbgm.InvalidInputException;

/**
 * The header of a {@code .npy} file (format versions 1.0, 2.0 and 3.0): the magic string
 * {@code \x93NUMPY}, two version bytes, a little-endian header length (2 bytes in 1.0, 4 bytes
 * after) and a Python dict literal {@code {'descr': ..., 'fortran_order': ..., 'shape': (...), }}
 * padded with spaces and a newline so that the data starts on a 64-byte boundary.
 */
record NpyHeader(NpyDtype dtype, String descr, boolean fortranOrder, long[] shape, long size) {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  /** The number of elements (the shape was checked when the header was parsed, so the product fits). */
  long count() {
    return DeclaredSize.elements(shape, "A .npy header", pythonShape(shape));
  }

  /** The shape as Python writes it: {@code ()}, {@code (3,)}, {@code (3, 2)}. */
  static String pythonShape(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  /** The version-1.0 header bytes exactly as NumPy (1.23 and later) writes them for C order. */
  static byte[] encode(String descr, long[] shape) {
    StringBuilder h = new StringBuilder("{'descr': '").append(descr)
        .append("', 'fortran_order': False, 'shape': ").append(pythonShape(shape)).append(", }");
    if (shape.length > 0) {
      h.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
    }
    int hlen = h.length() + 1;
    int pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
    h.append(" ".repeat(pad)).append('\n');
    int total = h.length();
    if (total > 0xffff) {
      throw new InvalidInputException("shape " + Arrays.toString(shape) + " needs a header longer than 65535 bytes");
    }
    byte[] out = new byte[MAGIC.length + 4 + total];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (total & 0xff);
    out[9] = (byte) (total >>> 8);
    byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, out, 10, text.length);
    return out;
  }

  /** Reads and parses a header from {@code in}, leaving it at the first data byte. */
  static NpyHeader read(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length == 0) {
      throw new InvalidInputException("File '" + source + "' is empty; expected a .npy file (the magic string \\x93NUMPY, a header and the data).");
    }
    if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new InvalidInputException("File '" + source + "' is not a .npy file: expected the magic string \\x93NUMPY at its start.");
    }
    int major = magic[6];
    if (major < 1 || major > 3 || magic[7] != 0) {
      throw new InvalidInputException("File '" + source + "' has .npy format version " + major + "." + magic[7]
          + ", but only versions 1.0, 2.0 and 3.0 are supported.");
    }
    int lenBytes = major == 1 ? 2 : 4;
    byte[] lb = in.readNBytes(lenBytes);
    if (lb.length < lenBytes) {
      throw new InvalidInputException("File '" + source + "' is truncated inside its .npy header length field.");
    }
    long len = 0;
    for (int i = lenBytes - 1; i >= 0; i--) {
      len = (len << 8) | (lb[i] & 0xff);
    }
    if (len > 1 << 24) {
      throw new InvalidInputException("File '" + source + "' announces a .npy header of " + len + " bytes; expected at most 16 MiB.");
    }
    byte[] text = in.readNBytes((int) len);
    if (text.length < len) {
      throw new InvalidInputException("File '" + source + "' is truncated: its .npy header announces " + len
          + " bytes but only " + text.length + " follow.");
    }
    String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return parse(dict, source, 8 + lenBytes + len);
  }

  /** Parses the header dict of a header of {@code size} bytes; every problem is an {@link InvalidInputException}. */
  static NpyHeader parse(String dict, String source, long size) {
    Map<String, Object> map;
    try {
      map = new Parser(dict.strip()).dict();
    } catch (IllegalStateException e) {
      throw new InvalidInputException("File '" + source + "' has a malformed .npy header (" + e.getMessage()
          + "); expected a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }.");
    }
    if (!map.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new InvalidInputException("File '" + source + "' has .npy header keys "
          + map.keySet().stream().map(JsonText::quote).toList() + "; expected exactly descr, fortran_order and shape.");
    }
    if (!(map.get("descr") instanceof String descr)) {
      throw new InvalidInputException("File '" + source + "' stores a structured dtype " + map.get("descr")
          + "; only plain numeric dtypes are supported.");
    }
    if (!(map.get("fortran_order") instanceof Boolean fortran) || !(map.get("shape") instanceof long[] shape)) {
      throw new InvalidInputException("File '" + source + "' has a malformed .npy header: fortran_order must be True/False and shape a tuple of integers.");
    }
    if (descr.startsWith("|O") || descr.startsWith("O")) {
      throw new InvalidInputException("File '" + source + "' holds an object array (dtype '" + descr + "', pickled Python "
          + "objects), which cannot be read safely; save numbers, e.g. numpy.save(f, arr.astype('float32')).");
    }
    NpyDtype dtype = NpyDtype.parse(descr, source);
    if (fortran) {
      throw new InvalidInputException("File '" + source + "' stores its array in Fortran (column-major) order; "
          + "only C order is supported: re-save it with numpy.ascontiguousarray(arr).");
    }
    DeclaredSize.elements(shape, "File '" + source + "'", pythonShape(shape));
    return new NpyHeader(dtype, descr, false, shape, size);
  }

  /** A recursive-descent parser for the small Python literal subset NumPy headers use. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> dict() {
      Map<String, Object> out = new HashMap<>();
      expect('{');
      while (peek() != '}') {
        String key = string();
        expect(':');
        out.put(key, value());
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw new IllegalStateException("expected ',' or '}' at character " + i);
        }
      }
      expect('}');
      if (i != s.length()) {
        throw new IllegalStateException("unexpected text after the closing '}' at character " + i);
      }
      return out;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (c == '[') {
        int depth = 0;
        int start = i;
        do {
          char d = s.charAt(i++);
          depth += d == '[' ? 1 : d == ']' ? -1 : 0;
        } while (depth > 0 && i < s.length());
        return s.substring(start, i); // a structured descr: reported, not parsed
      }
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      throw new IllegalStateException("unexpected value at character " + i);
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (peek() != ')') {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (start == i) {
          throw new IllegalStateException("expected an integer in the shape at character " + i);
        }
        try {
          dims.add(Long.parseLong(s.substring(start, i)));
        } catch (NumberFormatException e) {
          throw new IllegalStateException("the dimension " + s.substring(start, i) + " at character " + start
              + " exceeds 2^63");
        }
        if (i < s.length() && s.charAt(i) == 'L') {
          i++; // Python 2 long suffix
        }
        if (peek() == ',') {
          i++;
        } else if (peek() != ')') {
          throw new IllegalStateException("expected ',' or ')' in the shape at character " + i);
        }
      }
      expect(')');
      return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private String string() {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw new IllegalStateException("expected a quoted string at character " + i);
      }
      int end = s.indexOf(q, ++i);
      if (end < 0) {
        throw new IllegalStateException("unterminated string at character " + i);
      }
      String out = s.substring(i, end);
      i = end + 1;
      return out;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalStateException("expected '" + c + "' at character " + i);
      }
      i++;
    }

    private char peek() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= s.length()) {
        throw new IllegalStateException("the header ends early");
      }
      return s.charAt(i);
    }
  }
}
