package org.sbgm.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.sbgm.InvalidInputException;
import org.sbgm.io.IoFailures;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and writes configuration records as YAML (or JSON, by the {@code .json} extension). Every
 * problem becomes one {@link InvalidInputException} sentence naming the file, the key (as a dotted path) and, where
 * it helps, the line: unknown keys, values of the wrong type, values out of range, unknown type names.
 */
public final class ConfigFiles {
  /** The largest configuration file read (a configuration is a few hundred bytes; model.yaml a few KiB). */
  public static final long MAX_BYTES = 1 << 20;
  /** The deepest nesting of mappings and lists (a configuration has three levels). */
  public static final int MAX_DEPTH = 32;

  private static final YAMLMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loaderOptions()).build())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build());
  private static final JsonMapper JSON = configure(JsonMapper.builder().build());

  private ConfigFiles() {}

  /**
   * SnakeYAML's limit on the characters of a document. (Its alias and nesting limits belong to its
   * composer, which Jackson does not use; {@link #scan} enforces those.)
   */
  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setCodePointLimit((int) MAX_BYTES);
    return o;
  }

  /**
   * One pass over the tokens before anything is built, returning the problem (or null): YAML aliases ({@code *name}; Jackson would
   * read one as the text "name", silently, so an alias bomb is harmless but an alias is never what the
   * user meant), nesting deeper than {@link #MAX_DEPTH} and a key given twice in one mapping. It records
   * in {@code locations} the line of every key and list element, and which values are quoted text.
   */
  private static String scan(ObjectMapper mapper, byte[] bytes, Locations locations) throws IOException {
    try (JsonParser p = mapper.createParser(bytes)) {
      return scan(p, bytes, locations);
    }
  }

  /** {@link #scan(ObjectMapper, byte[], Locations)} with {@code p}, reading {@code bytes} (null for JSON). */
  private static String scan(JsonParser p, byte[] bytes, Locations locations) throws IOException {
    String[] lines = null;
    java.util.ArrayDeque<Frame> open = new java.util.ArrayDeque<>();
    for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
      if (p instanceof YAMLParser y && y.isCurrentAlias()) {
        return "uses the YAML alias '*" + p.getText() + "'" + line(p.currentTokenLocation())
            + "; aliases are not expanded by this reader: write the value out";
      }
      if (t.isStructStart() && open.size() + 1 > MAX_DEPTH) {
        return "nests mappings and lists more than " + MAX_DEPTH + " levels deep" + line(p.currentTokenLocation())
            + "; a configuration needs three";
      }
      if (t.isStructEnd()) {
        open.pop();
        continue;
      }
      Frame parent = open.peek();
      int at = p.currentTokenLocation().getLineNr();
      if (t == JsonToken.FIELD_NAME) {
        Integer before = parent.keys.putIfAbsent(p.currentName(), at);
        if (before != null) {
          return "repeats the key " + join(parent.path, p.currentName()) + " (lines " + before + " and " + at
              + "); write each key once";
        }
        parent.key = p.currentName();
        continue;
      }
      String path = parent == null ? "" : parent.list ? parent.path + "[" + parent.index++ + "]" : join(parent.path, parent.key);
      int lineOfKey = parent == null ? -1 : parent.list ? at : parent.keys.get(parent.key);
      boolean quoted = false;
      if (t == JsonToken.VALUE_STRING) {
        if (p instanceof YAMLParser) {
          if (lines == null) {
            lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
          }
          quoted = !plainScalar(lines, p.currentTokenLocation());
        } else {
          quoted = true;
        }
      }
      if (parent != null) {
        locations.put(path, lineOfKey, quoted);
      }
      if (t.isStructStart()) {
        open.push(new Frame(path, t == JsonToken.START_ARRAY));
      }
    }
    return null;
  }

  /** An open mapping or list of the document being scanned. */
  private static final class Frame {
    final String path;
    final boolean list;
    /** The keys of a mapping so far, with their lines. */
    final java.util.Map<String, Integer> keys = new java.util.HashMap<>();
    /** The latest key of a mapping. */
    String key;
    /** The next index of a list. */
    int index;

    Frame(String path, boolean list) {
      this.path = path;
      this.list = list;
    }
  }

  /** True unless the YAML scalar starting at {@code loc} is quoted, tagged or a block scalar. */
  private static boolean plainScalar(String[] lines, JsonLocation loc) {
    int line = loc.getLineNr() - 1;
    int column = loc.getColumnNr() - 1;
    if (line < 0 || line >= lines.length || column < 0) {
      return true;
    }
    int[] cps = lines[line].codePoints().toArray();
    if (column >= cps.length) {
      return true;
    }
    int c = cps[column];
    return c != '"' && c != '\'' && c != '!' && c != '|' && c != '>';
  }

  private static <M extends ObjectMapper> M configure(M m) {
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.enable(SerializationFeature.INDENT_OUTPUT);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return m;
  }

  /** Reads a training configuration. */
  public static RunConfig readRunConfig(Path file) {
    return read(file, RunConfig.class);
  }

  /** Reads {@code file} (YAML, or JSON for {@code *.json}) as {@code type}. */
  public static <T> T read(Path file, Class<T> type) {
    return read(file, type, "config file");
  }

  /** As {@link #read(Path, Class)}, naming the file in messages as {@code kind}, e.g. "model description". */
  public static <T> T read(Path file, Class<T> type, String kind) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(kind + " '" + file + "' is " + size + " bytes; a configuration is at most "
            + MAX_BYTES + " bytes (1 MiB), so this is not one");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(kind + " '" + file + "' does not exist");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + kind + " '" + file + "': " + IoFailures.describe(e), e);
    }
    return parse(bytes, kind + " '" + file + "'", isJson(file), type);
  }

  /**
   * A configuration shipped with the library, by name (without extension): {@code eight-gaussians-mlp},
   * the demo's, which is also {@code configs/eight-gaussians-mlp.yaml}.
   */
  public static RunConfig builtIn(String name) {
    try (InputStream in = ConfigFiles.class.getResourceAsStream(name + ".yaml")) {
      if (in == null) {
        throw new InvalidInputException("there is no built-in configuration named '" + name + "'; expected "
            + String.join(", ", BUILT_IN));
      }
      return parse(in.readAllBytes(), "built-in configuration '" + name + "'", false, RunConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in configuration '" + name + "': " + e.getMessage(), e);
    }
  }

  /** The names of the built-in configurations. */
  public static final List<String> BUILT_IN = List.of("eight-gaussians-mlp");

  /** Parses {@code bytes} (YAML, or JSON when {@code json}) from {@code source} (for messages) as {@code type}. */
  public static <T> T parse(byte[] bytes, String source, boolean json, Class<T> type) {
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw new InvalidInputException(source + " is empty");
    }
    ObjectMapper mapper = json ? JSON : YAML;
    Locations locations = new Locations();
    String problem;
    try {
      problem = scan(mapper, bytes, locations);
    } catch (JacksonException e) {
      throw failure(source, e, locations);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + source + ": " + e.getMessage(), e);
    }
    if (problem != null) {
      throw new InvalidInputException(source + " " + problem);
    }
    T value;
    try {
      KeyCheck.check(mapper.readTree(bytes), type, "", locations);
      value = mapper.readValue(bytes, type);
    } catch (JacksonException e) {
      throw failure(source, e, locations);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + source + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
    if (value == null) {
      throw new InvalidInputException(source + " holds no settings");
    }
    return value;
  }

  /** One sentence for a Jackson failure while reading {@code source}. */
  private static InvalidInputException failure(String source, JacksonException e, Locations locations) {
    if (e.getCause() instanceof YAMLException y && !(y instanceof MarkedYAMLException)) {
      // a limit of the loader (the document's size), not a syntax error at a position
      return new InvalidInputException(source + " exceeds the YAML reader's limit of " + MAX_BYTES + " characters ("
          + firstLine(y.getMessage()) + ")", e);
    }
    return new InvalidInputException(source + ": " + describe(e, locations), e);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  /** {@code value} as YAML text. */
  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as YAML: " + e.getMessage(), e);
    }
  }

  /** {@code value} as JSON text. */
  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  /** The JSON mapper (strict, like the YAML one), for other small JSON documents. */
  public static ObjectMapper json() {
    return JSON;
  }

  static boolean isJson(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /**
   * One sentence for a Jackson failure reading the JSON file {@code file} that was not {@linkplain #parse
   * parsed} here (such as a large mixture file): the key, what was expected, and the line (found by
   * scanning the file again for its keys) and column, without the parser's own description of its input.
   */
  public static String describe(JacksonException e, Path file) {
    Locations keys = Locations.keysOnly();
    if (e instanceof JsonMappingException) {
      try (JsonParser p = JSON.createParser(file.toFile())) {
        scan(p, null, keys);
      } catch (IOException | RuntimeException ignored) {
        // the file's own failure is the one to report
      }
    }
    return describe(e, keys);
  }

  /** One sentence for a Jackson failure, placed at the line of the key it concerns where {@code locations} knows it. */
  static String describe(JacksonException e, Locations locations) {
    // the parser's position: its line, and its column too where no key's line is known (a document not scanned here)
    String where = locations.isEmpty() ? position(e.getLocation()) : line(e.getLocation());
    if (e instanceof UnrecognizedPropertyException u) {
      String parent = path(u.getPath().subList(0, u.getPath().size() - 1));
      String known = u.getKnownPropertyIds() == null ? "" : "; expected one of "
          + new TreeSet<>(u.getKnownPropertyIds().stream().map(Object::toString).collect(Collectors.toList()))
              .stream().collect(Collectors.joining(", "));
      String key = join(parent, u.getPropertyName());
      return "unknown key '" + key + "'" + at(locations, key, where) + known;
    }
    if (e instanceof InvalidTypeIdException t) {
      String key = path(t.getPath());
      String property = key.startsWith("data") ? "source" : "type";
      List<String> allowed = property.equals("source") ? DataSpec.SOURCES : NetworkSpec.TYPES;
      String id = t.getTypeId();
      return join(key, property) + " must be one of " + String.join(", ", allowed) + ", got "
          + (id == null ? "nothing" : "'" + id + "'") + at(locations, join(key, property), where);
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = v.getCause() == null ? v : v.getCause();
      String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      return qualify(path(v.getPath()), msg) + locations.at(qualify(path(v.getPath()), leadingKey(msg)));
    }
    if (e instanceof InvalidFormatException f) {
      String key = path(f.getPath());
      return key + " must be " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'" + at(locations, key, where);
    }
    if (e instanceof MismatchedInputException || e instanceof InvalidDefinitionException) {
      // (the second: a value of the wrong kind for an array of a record, such as a mixture file's weights)
      JsonMappingException m = (JsonMappingException) e;
      String key = path(m.getPath());
      Class<?> target = m instanceof MismatchedInputException mi ? mi.getTargetType()
          : ((InvalidDefinitionException) m).getType() == null ? null : ((InvalidDefinitionException) m).getType().getRawClass();
      String text = m.getOriginalMessage() == null ? "" : m.getOriginalMessage();
      String got = text.contains("Floating-point value") ? "a fractional number"
          : text.contains("from Array value") ? "a list"
          : text.contains("from Object value") ? "a mapping"
          : text.contains("from String value") ? "a text value"
          : "a value of another kind";
      if (key.isEmpty()) {
        return "expected a mapping of keys to values at the top level" + where;
      }
      return key + " must be " + expected(target) + ", got " + got + at(locations, key, where);
    }
    if (e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException iae) {
      String key = path(m.getPath());
      return qualify(key, iae.getMessage()) + locations.at(qualify(key, leadingKey(iae.getMessage())));
    }
    String key = e instanceof JsonMappingException m ? path(m.getPath())
        : e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null
        ? dotted(p.getParsingContext().pathAsPointer().toString()) : "";
    InputCoercionException c = e instanceof InputCoercionException i ? i
        : e.getCause() instanceof InputCoercionException i ? i : null;
    if (c != null && !key.isEmpty()) {
      // a number too large for its key: valid YAML, so not a syntax error
      boolean isInt = c.getTargetType() == Integer.TYPE || c.getTargetType() == Integer.class;
      return key + " must be an integer from " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) + " to "
          + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE) + ", got " + text(c) + at(locations, key, where);
    }
    if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Malformed numeric value") && !key.isEmpty()) {
      return key + " must be a number, got '" + text(e) + "'" + at(locations, key, where);
    }
    String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    List<String> lines = msg.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    String problem = lines.isEmpty() ? msg : lines.get(0);
    for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
      if (l.startsWith("expected") || l.startsWith("found") || l.contains("not allowed") || l.startsWith("mapping values")) {
        problem += "; " + l;
      }
    }
    String format = e.getProcessor() instanceof YAMLParser ? "YAML" : "JSON";
    JsonLocation loc = e.getLocation();
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      // where the problem is, not where the construct it broke began
      loc = new JsonLocation(null, -1, y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1);
    }
    return "not valid " + format + ": " + withoutSource(problem) + position(loc);
  }

  /** "network.width" for the JSON pointer "/network/width", "a.b[0]" for "/a/b/0". */
  private static String dotted(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String name = part.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(name).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(name);
      }
    }
    return sb.toString();
  }

  /** The text of the token the parser of {@code e} stopped at. */
  private static String text(JacksonException e) {
    try {
      return ((JsonParser) e.getProcessor()).getText();
    } catch (IOException | RuntimeException ignored) {
      return "?";
    }
  }

  /** The line of {@code key} where the document holds it, else {@code fallback} (the parser's position). */
  private static String at(Locations locations, String key, String fallback) {
    String known = locations.at(key);
    return known.isEmpty() ? fallback : known;
  }

  /** The key a record's message starts with: "std[0]" of "std[0] must be ...", "type" of "type: ...". */
  private static String leadingKey(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\[\\d+\\])*").matcher(message == null ? "" : message);
    return m.find() ? m.group() : "";
  }

  /**
   * {@code text} with Jackson's descriptions of its input ("[Source: REDACTED ...; line: 1, column: 12]")
   * replaced by the line and column they name.
   */
  private static String withoutSource(String text) {
    return text.replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]\\)",
        " (opened on line $1, column $2)")
        .replaceAll("\\s*\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", " at line $1, column $2")
        .replaceAll("\\s*\\[Source: [^\\]]*\\]", "");
  }

  private static String position(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : loc.getColumnNr() < 1 ? " (line " + loc.getLineNr() + ")"
        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** "key.sub must ..." from the record path and a message that starts with the key inside the record. */
  private static String qualify(String recordPath, String message) {
    return recordPath.isEmpty() ? message : recordPath + "." + message;
  }

  static String expected(Class<?> type) {
    if (type == null) {
      return "a value of another kind";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping of keys to values";
  }

  private static String line(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ")";
  }

  private static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
