package org.sbgm.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where each key of a configuration document stands, by its dotted path ({@code network.width},
 * {@code transform.std[0]}): the line of the key (of the element, in a list), and whether its value was
 * written as quoted text. Filled by {@link ConfigFiles} while it scans the document, so that a message
 * about a value names the line of that value, not where the parser stopped.
 */
final class Locations {
  private final Map<String, Integer> lines = new HashMap<>();
  private final Set<String> quoted = new HashSet<>();
  private final boolean keysOnly;

  Locations() {
    this(false);
  }

  private Locations(boolean keysOnly) {
    this.keysOnly = keysOnly;
  }

  /** Locations of the keys of mappings only, not of list elements (for a large document of numbers). */
  static Locations keysOnly() {
    return new Locations(true);
  }

  void put(String path, int line, boolean quotedText) {
    if (keysOnly && path.endsWith("]")) {
      return;
    }
    if (line > 0) {
      lines.putIfAbsent(path, line);
    }
    if (quotedText) {
      quoted.add(path);
    }
  }

  /** True when no key is known (nothing was scanned), or only keys: then a message gives the parser's column too. */
  boolean isEmpty() {
    return keysOnly || lines.isEmpty();
  }

  /** True when the value at {@code path} was quoted text (in JSON, any text). */
  boolean quoted(String path) {
    return quoted.contains(path);
  }

  /**
   * " (line N)" for the key at {@code path} or, when the document does not hold it (a missing key), for
   * the nearest section above it that it holds; "" when there is none.
   */
  String at(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return " (line " + line + ")";
      }
    }
    return "";
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
