package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates each request against its operation in {@code openapi.yaml} (vertx-openapi), and turns a
 * refusal into a 400 that says what is wrong (contract section 2). vertx-openapi stops at the first
 * failure and says it in its own words; this then checks the whole request against the same
 * operation and lists every violation, each with its JSON Pointer, header or parameter and a detail
 * from {@link Violation}'s vocabulary.
 *
 * <p>It is the first handler of each operation's route rather than a failure handler: failure
 * handlers of a sub-router's routes never see the failures (they go to the parent router's).
 */
final class RequestViolations implements Handler<RoutingContext> {
  private final Operation operation;
  private final SchemaRepository schemas;
  private final RequestValidator validator;

  RequestViolations(Vertx vertx, OpenAPIContract contract, Operation operation) {
    this.operation = operation;
    this.schemas = contract.getSchemaRepository();
    this.validator = RequestValidator.create(vertx, contract);
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestExtractor.withBodyHandler()
        .extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> ctx.next())
        .onFailure(
            failure -> {
              if (!(failure instanceof ValidatorException)) {
                ctx.fail(failure);
                return;
              }
              List<Violation> found;
              try {
                found = check(ctx);
              } catch (RuntimeException e) {
                // never a hanging request or a 500 for bad input: the library's words, then
                found = List.of();
              }
              if (found.isEmpty()) {
                // the library saw something this check does not: keep its words
                found = List.of(Violation.pointer("", String.valueOf(failure.getMessage())));
              }
              ctx.fail(ProblemException.invalid(found));
            });
  }

  /** Every violation of the request against the operation: parameters first, then the body. */
  List<Violation> check(RoutingContext ctx) {
    Set<Violation> out = new LinkedHashSet<>();
    for (Parameter p : operation.getParameters()) {
      String raw =
          switch (p.getIn()) {
            case HEADER -> ctx.request().getHeader(p.getName());
            case QUERY -> ctx.queryParams().get(p.getName());
            case PATH -> ctx.pathParam(p.getName());
            case COOKIE -> null;
          };
      parameter(p, raw, out);
    }
    if (operation.getRequestBody() != null) {
      body(ctx.body().buffer(), out);
    }
    return new ArrayList<>(out);
  }

  private void parameter(Parameter p, String raw, Set<Violation> out) {
    Violation.Part part =
        p.getIn() == Location.HEADER ? Violation.Part.HEADER : Violation.Part.PARAMETER;
    if (raw == null || raw.isEmpty()) {
      if (p.isRequired()) {
        out.add(new Violation(part, p.getName(), Violation.REQUIRED));
      }
      return;
    }
    JsonObject schema = json(p.getSchema());
    Object value;
    switch (String.valueOf(schema.getValue("type"))) {
      case "number" -> {
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          out.add(new Violation(part, p.getName(), Violation.A_NUMBER));
          return;
        }
      }
      case "integer" -> {
        try {
          value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
          out.add(new Violation(part, p.getName(), Violation.AN_INTEGER));
          return;
        }
      }
      case "boolean" -> {
        if (!raw.equals("true") && !raw.equals("false")) {
          out.add(new Violation(part, p.getName(), Violation.A_BOOLEAN));
          return;
        }
        value = Boolean.parseBoolean(raw);
      }
      default -> value = raw;
    }
    for (Leaf leaf : leaves(p.getSchema(), schema, value)) {
      out.add(new Violation(part, p.getName(), leaf.detail()));
    }
  }

  private void body(Buffer buffer, Set<Violation> out) {
    boolean required = operation.getRequestBody().isRequired();
    if (buffer == null || buffer.length() == 0) {
      if (required) {
        out.add(Violation.pointer("", Violation.REQUIRED));
      }
      return;
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      out.add(Violation.pointer("", Violation.NOT_JSON));
      return;
    }
    MediaType media = operation.getRequestBody().getContent().get("application/json");
    if (media == null) {
      return;
    }
    for (Leaf leaf : leaves(media.getSchema(), json(media.getSchema()), value)) {
      out.add(Violation.pointer(leaf.pointer(), leaf.detail()));
    }
  }

  /** A violated keyword, in plain words, at a place in the instance. */
  private record Leaf(String pointer, String detail) {}

  private List<Leaf> leaves(JsonSchema schema, JsonObject schemaJson, Object value) {
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

  private static JsonObject json(JsonSchema schema) {
    JsonObject out = new JsonObject();
    for (String field : schema.fieldNames()) {
      out.put(field, schema.get(field));
    }
    return out;
  }
}
