package dev.baedal.gateway;

import dev.baedal.platform.http.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.util.ArrayList;
import java.util.List;

/**
 * The vocabulary of {@link RequestViolations}: a JSON Schema validation's output, the violated
 * keywords, each turned into plain words from {@link Violation} at a JSON Pointer of the instance.
 */
final class SchemaViolations {
  private SchemaViolations() {}

  /** A violated keyword, in plain words, at a place in the instance. */
  record Leaf(String pointer, String detail) {}

  /** Every violated keyword of {@code schema} by {@code value}, in plain words. */
  static List<Leaf> of(SchemaRepository schemas, JsonSchema schema, Object value) {
    JsonObject schemaJson = json(schema);
    OutputUnit result = schemas.validator(schema).validate(value);
    List<Leaf> out = new ArrayList<>();
    if (Boolean.TRUE.equals(result.getValid())) {
      return out;
    }
    List<OutputUnit> units = new ArrayList<>();
    flatten(result, units);
    for (OutputUnit u : units) {
      String keywordLocation = u.getKeywordLocation();
      if (keywordLocation == null) {
        continue;
      }
      List<String> path = segments(keywordLocation);
      if (path.isEmpty()) {
        continue;
      }
      String keyword = path.get(path.size() - 1);
      JsonObject owner = walk(schemaJson, path.subList(0, path.size() - 1));
      String at = pointer(u.getInstanceLocation());
      if (owner == null) {
        continue;
      }
      if (keyword.equals("required")) {
        Object instance = at(value, at);
        for (Object name : owner.getJsonArray("required", new JsonArray())) {
          if (instance instanceof JsonObject o && !o.containsKey(String.valueOf(name))) {
            out.add(new Leaf(Violation.child(at, name), Violation.REQUIRED));
          }
        }
        continue;
      }
      String detail = detail(keyword, owner, at(value, at));
      if (detail != null) {
        out.add(new Leaf(at, detail));
      }
    }
    return out;
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> out) {
    if (unit.getErrors() == null) {
      return;
    }
    for (OutputUnit e : unit.getErrors()) {
      out.add(e);
      flatten(e, out);
    }
  }

  /** Plain words for a violated keyword of {@code schema}; null for those that only aggregate. */
  private static String detail(String keyword, JsonObject schema, Object instance) {
    return switch (keyword) {
      case "type" -> typeDetail(schema.getValue("type"));
      case "minimum", "maximum" ->
          schema.getValue("minimum") instanceof Number min
                  && schema.getValue("maximum") instanceof Number max
              ? Violation.between(min, max)
              : keyword.equals("minimum")
                  ? Violation.atLeast((Number) schema.getValue("minimum"))
                  : Violation.atMost((Number) schema.getValue("maximum"));
      case "exclusiveMinimum" -> "must be more than " + schema.getValue(keyword);
      case "exclusiveMaximum" -> "must be less than " + schema.getValue(keyword);
      case "minLength" ->
          schema.getInteger("minLength") == 1
              ? Violation.NOT_EMPTY
              : Violation.shortest(schema.getInteger("minLength"));
      case "maxLength" -> Violation.longest(schema.getInteger("maxLength"));
      case "minItems" ->
          schema.getInteger("minItems") == 1
              ? Violation.NOT_EMPTY
              : Violation.leastEntries(schema.getInteger("minItems"));
      case "maxItems" -> Violation.mostEntries(schema.getInteger("maxItems"));
      case "enum" -> Violation.oneOf(schema.getJsonArray("enum"));
      case "const" -> Violation.oneOf(List.of(schema.getValue("const")));
      case "pattern" ->
          schema.getValue("description") instanceof String words
              ? "must be " + words
              : "must match the pattern " + schema.getValue("pattern");
      case "format" -> "must be a valid " + schema.getValue("format");
      case "additionalProperties" -> "has a field that is not allowed";
      case "properties", "items", "prefixItems", "$ref", "allOf", "anyOf", "oneOf", "not" -> null;
      default -> instance == null ? Violation.REQUIRED : "is not valid (" + keyword + ")";
    };
  }

  private static String typeDetail(Object type) {
    String t = type instanceof JsonArray a && !a.isEmpty() ? String.valueOf(a.getValue(0)) : "";
    if (type instanceof String s) {
      t = s;
    }
    return switch (t) {
      case "string" -> Violation.A_STRING;
      case "number" -> Violation.A_NUMBER;
      case "integer" -> Violation.AN_INTEGER;
      case "boolean" -> Violation.A_BOOLEAN;
      case "object" -> Violation.AN_OBJECT;
      case "array" -> Violation.AN_ARRAY;
      default -> "must be of type " + t;
    };
  }

  /** {@code #/items/0} as the JSON Pointer {@code /items/0}; {@code #} as {@code ""}. */
  private static String pointer(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.equals("#")) {
      return "";
    }
    return instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
  }

  /** The keyword location's segments, without {@code #} and the {@code $ref}s already resolved. */
  private static List<String> segments(String keywordLocation) {
    List<String> out = new ArrayList<>();
    String path = keywordLocation.startsWith("#") ? keywordLocation.substring(1) : keywordLocation;
    for (String raw : path.split("/")) {
      if (!raw.isEmpty() && !raw.equals("$ref")) {
        out.add(raw.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out;
  }

  /** The sub-schema at {@code path} of a dereferenced schema, or null. */
  private static JsonObject walk(JsonObject schema, List<String> path) {
    Object node = schema;
    for (String seg : path) {
      if (node instanceof JsonObject o) {
        node = o.getValue(seg);
      } else if (node instanceof JsonArray a && seg.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(seg);
        node = i < a.size() ? a.getValue(i) : null;
      } else {
        return null;
      }
    }
    return node instanceof JsonObject o ? o : null;
  }

  /** The part of {@code value} at the JSON Pointer {@code pointer}, or null. */
  private static Object at(Object value, String pointer) {
    Object node = value;
    for (String seg : segments(pointer)) {
      if (node instanceof JsonObject o) {
        node = o.getValue(seg);
      } else if (node instanceof JsonArray a && seg.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(seg);
        node = i < a.size() ? a.getValue(i) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  /** The keywords of a (dereferenced) schema as JSON. */
  static JsonObject json(JsonSchema schema) {
    JsonObject out = new JsonObject();
    for (String field : schema.fieldNames()) {
      out.put(field, schema.get(field));
    }
    return out;
  }
}
