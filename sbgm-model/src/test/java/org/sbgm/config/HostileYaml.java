package org.sbgm.config;

/** YAML documents built to hurt a parser, for the tests of the configuration reader and the CLI's corpus. */
public final class HostileYaml {
  private HostileYaml() {}

  /**
   * The "billion laughs": nine levels of ten aliases each, 10^9 strings if expanded, as top-level keys
   * {@code a} to {@code i}, the first alias ({@code *a}) on the document's second line.
   */
  public static String aliasBomb() {
    StringBuilder s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      s.append(c).append(": &").append(c).append(" [");
      for (int k = 0; k < 10; k++) {
        s.append(k == 0 ? "" : ",").append('*').append(p);
      }
      s.append("]\n");
    }
    return s.toString();
  }
}
