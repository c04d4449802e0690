package org.sbgm.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader and writer of the small JSON documents file headers hold (RFC 8259), so the core
 * needs no JSON library. Objects become {@link LinkedHashMap}s in document order (a repeated key is an
 * error), arrays {@link List}s, strings {@link String}s, integers {@link BigInteger}s, other numbers
 * {@link Double}s, and true, false and null themselves. Nesting is limited to {@value #MAX_DEPTH} levels.
 */
final class JsonText {
  static final int MAX_DEPTH = 64;

  /** What is wrong with a document, and where (a character offset). */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message, int offset) {
      super(message + " at character " + offset);
    }
  }

  private final String text;
  private int pos;

  private JsonText(String text) {
    this.text = text;
  }

  /** The value of a whole document (whitespace around it allowed, nothing else). */
  static Object parse(String text) throws SyntaxException {
    JsonText p = new JsonText(text);
    p.skipWhitespace();
    Object v = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw new SyntaxException("unexpected '" + text.charAt(p.pos) + "' after the value", p.pos);
    }
    return v;
  }

  /** {@code s} as a JSON string literal (quotes included; control characters and quotes escaped). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private Object value(int depth) throws SyntaxException {
    if (depth > MAX_DEPTH) {
      throw new SyntaxException("nesting deeper than " + MAX_DEPTH + " levels", pos);
    }
    if (pos >= text.length()) {
      throw new SyntaxException("the document ends where a value was expected", pos);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new SyntaxException("unexpected '" + c + "' where a value was expected", pos);
    }
  }

  private Map<String, Object> object(int depth) throws SyntaxException {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new SyntaxException("expected a quoted key", pos);
      }
      int at = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth + 1);
      if (m.containsKey(key)) {
        throw new SyntaxException("the key \"" + key + "\" appears twice", at);
      }
      m.put(key, v);
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw new SyntaxException("expected ',' or '}' in an object", pos - 1);
      }
    }
  }

  private List<Object> array(int depth) throws SyntaxException {
    List<Object> list = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new SyntaxException("expected ',' or ']' in an array", pos - 1);
      }
    }
  }

  private String string() throws SyntaxException {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new SyntaxException("a string is not closed", pos);
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new SyntaxException("a control character inside a string", pos - 1);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = peek();
      pos++;
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw new SyntaxException("a \\u escape needs four hexadecimal digits", pos);
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new SyntaxException("a \\u escape needs four hexadecimal digits", pos);
          }
          pos += 4;
        }
        default -> throw new SyntaxException("an unknown escape '\\" + e + "'", pos - 1);
      }
    }
  }

  private Object number() throws SyntaxException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw new SyntaxException("a number needs digits", pos);
    }
    boolean integer = true;
    if (peek() == '.') {
      integer = false;
      pos++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
    String s = text.substring(start, pos);
    return integer ? new BigInteger(s) : (Object) Double.valueOf(s);
  }

  private void digits() throws SyntaxException {
    if (!isDigit(peek())) {
      throw new SyntaxException("a number needs digits", pos);
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private Object literal(String word, Object value) throws SyntaxException {
    if (!text.startsWith(word, pos)) {
      throw new SyntaxException("unexpected '" + text.charAt(pos) + "' where a value was expected", pos);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws SyntaxException {
    if (peek() != c) {
      throw new SyntaxException("expected '" + c + "'", pos);
    }
    pos++;
  }

  /** The next character, or 0 at the end. */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
