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
 * misspelt required key would otherwise surface as "missing").
 */
final class KeyCheck {
  private KeyCheck() {}

  /** Throws naming the first unknown key of {@code node} read as {@code type}. */
  static void check(JsonNode node, Class<?> type, String path) {
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
        throw new InvalidInputException("unknown key '" + where + "'; expected one of "
            + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    for (RecordComponent c : components) {
      Class<?> child = c.getType();
      String where = path.isEmpty() ? c.getName() : path + "." + c.getName();
      if (List.class.isAssignableFrom(child)) {
        Type arg = c.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        JsonNode list = node.get(c.getName());
        if (arg instanceof Class<?> k && list != null && list.isArray()) {
          for (int i = 0; i < list.size(); i++) {
            check(list.get(i), k, where + "[" + i + "]");
          }
        }
      } else {
        check(node.get(c.getName()), child, where);
      }
    }
  }
}
