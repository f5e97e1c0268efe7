package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edge check of contract section 2, before anything else looks at a request: no control
 * character (U+0000 to U+001F, U+007F) in the path, a query parameter, a header, or a string of the
 * JSON body, except tab and newline in free text ({@code /deliveryAddress/text}, {@code /reason});
 * no lone surrogate; percent-encoding that decodes to UTF-8, and no {@code %} in a decoded query
 * parameter; an {@code Idempotency-Key} of printable ASCII without {@code %}. A violation is a 400
 * problem whose {@code errors} lists each one as {@code {"pointer"|"header"|"parameter",
 * "detail"}}, so nothing of it reaches a context, the database or the payment.
 */
final class InputGuard {
  /** Body fields that are free text: tab and newline are allowed there. */
  static final Set<String> FREE_TEXT = Set.of("/deliveryAddress/text", "/reason");

  /** Body fields that are hashed, never stored or forwarded: any character goes. */
  static final Set<String> OPAQUE = Set.of("/password");

  /** At most this many violations are listed. */
  private static final int MAX_ERRORS = 20;

  private static final String CONTROL = "must not contain control characters";

  private InputGuard() {}

  /** Checks the path, the query parameters and the headers (every route, also /ws and pages). */
  static void request(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    List<JsonObject> errors = new ArrayList<>();
    String path = decode(request.path(), false);
    if (path == null) {
      errors.add(error("parameter", "path", "is not valid percent-encoded UTF-8"));
    } else if (hasControl(path, false)) {
      errors.add(error("parameter", "path", CONTROL));
    }
    String query = request.query();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String name = decode(rawName, true);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
        String shown = name == null ? printable(rawName) : printable(name);
        if (name == null || value == null) {
          errors.add(error("parameter", shown, "is not valid percent-encoded UTF-8"));
        } else if (hasControl(name, false) || hasControl(value, false)) {
          errors.add(error("parameter", shown, CONTROL));
        } else if (name.indexOf('%') >= 0 || value.indexOf('%') >= 0) {
          // no parameter of this API has one, and the validator would decode it a second time
          errors.add(error("parameter", shown, "must not contain %"));
        }
      }
    }
    for (Map.Entry<String, String> header : request.headers()) {
      if (hasControl(header.getKey(), false) || hasControl(header.getValue(), false)) {
        errors.add(error("header", printable(header.getKey()), CONTROL));
      }
    }
    String key = request.getHeader("Idempotency-Key");
    if (key != null && !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '%')) {
      errors.add(
          error("header", "Idempotency-Key", "must be printable ASCII characters other than %"));
    }
    if (errors.isEmpty()) {
      ctx.next();
    } else {
      ctx.fail(problem(errors));
    }
  }

  /** Checks every string (and key) of a JSON body; runs after the body is read. */
  static void body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
      ctx.next();
      return;
    }
    Object json;
    try {
      json = Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      ctx.next(); // not JSON: the validator answers that
      return;
    }
    List<JsonObject> errors = new ArrayList<>();
    walk(json, "", errors);
    if (errors.isEmpty()) {
      ctx.next();
    } else {
      ctx.fail(problem(errors));
    }
  }

  private static void walk(Object value, String pointer, List<JsonObject> errors) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        check(e.getKey(), child, false, errors);
        walk(e.getValue(), child, errors);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        walk(array.getValue(i), pointer + "/" + i, errors);
      }
    } else if (value instanceof String text) {
      check(text, pointer, FREE_TEXT.contains(pointer), errors);
    }
  }

  private static void check(
      String text, String pointer, boolean freeText, List<JsonObject> errors) {
    if (hasLoneSurrogate(text)) {
      errors.add(error("pointer", printable(pointer), "is not valid Unicode (a lone surrogate)"));
    } else if (!OPAQUE.contains(pointer) && hasControl(text, freeText)) {
      errors.add(
          error(
              "pointer",
              printable(pointer),
              freeText ? CONTROL + " (tab and newline are allowed)" : CONTROL));
    }
  }

  static boolean hasControl(String text, boolean freeText) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 || c == 0x7f) && !(freeText && (c == '\t' || c == '\n'))) {
        return true;
      }
    }
    return false;
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Strict percent-decoding to UTF-8: null for a {@code %} without two hex digits after it, or
   * bytes that are not UTF-8. The request line's raw non-ASCII bytes come as chars up to U+00FF.
   */
  static String decode(String raw, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c <= 0xff) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A name as it may be echoed in a message: control characters as \\uXXXX, at most 64 chars. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < text.length() && out.length() < 64; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return i < text.length() ? out + "…" : out.toString();
  }

  private static JsonObject error(String kind, String name, String detail) {
    return new JsonObject().put(kind, name).put("detail", detail);
  }

  private static ProblemException problem(List<JsonObject> all) {
    List<JsonObject> errors = all.subList(0, Math.min(all.size(), MAX_ERRORS));
    List<String> parts = new ArrayList<>();
    for (JsonObject e : errors) {
      String where =
          e.containsKey("pointer")
              ? "the field " + e.getString("pointer")
              : e.containsKey("header")
                  ? "the header " + e.getString("header")
                  : "the parameter " + e.getString("parameter");
      parts.add(where + " " + e.getString("detail"));
    }
    return new ProblemException(
        400,
        "Bad Request",
        String.join("; ", parts),
        Map.of(),
        new JsonObject().put("errors", new JsonArray(new ArrayList<>(errors))));
  }
}
