package org.sbgm.config;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds keys that no configuration record declares, before any value is bound, so that a misspelt key
 * is reported as such (Jackson builds a record before it reports the record's unknown keys, so a
 * misspelt required key would otherwise surface as "missing"); and values Jackson would take silently
 * but the user cannot have meant: a null (which would stand for the default) and quoted text for a
 * number or a truth value ({@code width: "256"}). Plain text for a number stays accepted: YAML 1.1 reads
 * {@code 2e-3}, without a dot, as text, and Jackson then converts it.
 */
final class KeyCheck {
  private KeyCheck() {}

  /** Throws naming the first unknown key (or null or quoted value) of {@code node} read as {@code type}, at its line. */
  static void check(JsonNode node, Class<?> type, String path, Locations locations) {
    if (node == null || !node.isObject()) {
      return;
    }
    Class<?> concrete = type;
    List<String> allowed = new ArrayList<>();
    JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
    if (info != null) {
      JsonNode id = node.get(info.property());
      concrete = null;
      for (JsonSubTypes.Type sub : type.getAnnotation(JsonSubTypes.class).value()) {
        if (id != null && sub.name().equals(id.asText())) {
          concrete = sub.value();
        }
      }
      if (concrete == null) {
        return; // the binder reports the missing or unknown type name
      }
      allowed.add(info.property());
    }
    if (!concrete.isRecord()) {
      return;
    }
    RecordComponent[] components = concrete.getRecordComponents();
    for (RecordComponent c : components) {
      allowed.add(c.getName());
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String where = path.isEmpty() ? name : path + "." + name;
        throw new InvalidInputException("unknown key '" + where + "'" + locations.at(where) + "; expected one of "
            + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    for (RecordComponent c : components) {
      Class<?> child = c.getType();
      String where = path.isEmpty() ? c.getName() : path + "." + c.getName();
      JsonNode value = node.get(c.getName());
      scalar(value, child, where, locations);
      if (List.class.isAssignableFrom(child)) {
        Type arg = c.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        if (arg instanceof Class<?> k && value != null && value.isArray()) {
          for (int i = 0; i < value.size(); i++) {
            scalar(value.get(i), k, where + "[" + i + "]", locations);
            check(value.get(i), k, where + "[" + i + "]", locations);
          }
        }
      } else {
        check(value, child, where, locations);
      }
    }
  }

  /** Throws when {@code value} (at {@code where}, to be read as {@code type}) is null, or quoted text for a number or truth value. */
  private static void scalar(JsonNode value, Class<?> type, String where, Locations locations) {
    if (value == null) {
      return;
    }
    if (value.isNull()) {
      throw new InvalidInputException(where + " must be " + ConfigFiles.expected(type) + ", got null" + locations.at(where));
    }
    boolean numberOrTruth = Number.class.isAssignableFrom(type) || type == Boolean.class || type.isPrimitive();
    if (numberOrTruth && value.isTextual() && value.asText().isBlank() && !locations.quoted(where)) {
      // "width:" with nothing after it, which Jackson would read as the default
      throw new InvalidInputException(where + " must be " + ConfigFiles.expected(type) + ", got nothing" + locations.at(where));
    }
    if (numberOrTruth && value.isTextual() && locations.quoted(where)) {
      throw new InvalidInputException(where + " must be " + ConfigFiles.expected(type) + ", got the quoted text \""
          + value.asText() + "\"" + locations.at(where) + "; write it without quotes");
    }
  }
}
