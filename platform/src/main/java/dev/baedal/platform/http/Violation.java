package dev.baedal.platform.http;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One thing wrong with a request (contract section 2): where it is, a JSON Pointer into the body, a
 * header or a query or path parameter, and what is wrong with it in plain words ({@code "is
 * required"}, {@code "must be between 1 and 99"}). A 400 or 422 problem lists them under {@code
 * errors}: {@code [{"pointer":"/items/0/quantity","detail":"must be between 1 and 99"}]}.
 *
 * <p>The details come from the small vocabulary below (listed in {@code docs/api.md}), so a client
 * can translate them; the web UI shows each one in Korean and English.
 */
public record Violation(Part part, String name, String detail) {

  /** Where a violation is: the key it has in the problem's {@code errors} entry. */
  public enum Part {
    /** A JSON Pointer into the request body; {@code ""} is the whole body. */
    POINTER("pointer"),
    /** A request header, by name. */
    HEADER("header"),
    /** A query or path parameter, by name. */
    PARAMETER("parameter");

    private final String key;

    Part(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  public static final String REQUIRED = "is required";
  public static final String NOT_JSON = "is not valid JSON";
  public static final String NOT_EMPTY = "must not be empty";
  public static final String NOT_BLANK = "must not be blank";
  public static final String A_STRING = "must be a string";
  public static final String A_NUMBER = "must be a number";
  public static final String AN_INTEGER = "must be an integer";
  public static final String A_BOOLEAN = "must be true or false";
  public static final String AN_OBJECT = "must be an object";
  public static final String AN_ARRAY = "must be an array";
  public static final String A_CARD = "must be 16 digits that pass the Luhn check";
  public static final String A_PHONE = "must be a phone number";

  /** {@code must be between 1 and 99}. */
  public static String between(Number min, Number max) {
    return "must be between " + number(min) + " and " + number(max);
  }

  /** {@code must be at least 1}. */
  public static String atLeast(Number min) {
    return "must be at least " + number(min);
  }

  /** {@code must be at most 99}. */
  public static String atMost(Number max) {
    return "must be at most " + number(max);
  }

  /** {@code must be at most 300 characters long}. */
  public static String longest(int characters) {
    return "must be at most " + characters + " characters long";
  }

  /** {@code must be at least 3 characters long}. */
  public static String shortest(int characters) {
    return "must be at least " + characters + " characters long";
  }

  /** {@code must have at most 50 entries}. */
  public static String mostEntries(int entries) {
    return "must have at most " + entries + " entries";
  }

  /** {@code must have at least 2 entries}. */
  public static String leastEntries(int entries) {
    return "must have at least " + entries + " entries";
  }

  /** {@code must be one of: NEW, ACCEPTED}. */
  public static String oneOf(Iterable<?> values) {
    return "must be one of: " + String.join(", ", strings(values));
  }

  private static List<String> strings(Iterable<?> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  /** 90.0 as {@code 90}, 0.5 as {@code 0.5}. */
  private static String number(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(n);
  }

  public Violation {
    Objects.requireNonNull(part);
    Objects.requireNonNull(name);
    Objects.requireNonNull(detail);
  }

  /** A violation in the body, at the JSON Pointer {@code pointer} ({@code ""}: the whole body). */
  public static Violation pointer(String pointer, String detail) {
    return new Violation(Part.POINTER, pointer, detail);
  }

  /** A violation in the header {@code name}. */
  public static Violation header(String name, String detail) {
    return new Violation(Part.HEADER, name, detail);
  }

  /** A violation in the query or path parameter {@code name}. */
  public static Violation parameter(String name, String detail) {
    return new Violation(Part.PARAMETER, name, detail);
  }

  /** The JSON Pointer of {@code field} under {@code parent}, escaped as RFC 6901 says. */
  public static String child(String parent, Object field) {
    String f = String.valueOf(field).replace("~", "~0").replace("/", "~1");
    return parent + "/" + f;
  }

  /** The {@code errors} entry: {@code {"pointer": "/items/0/quantity", "detail": "..."}}. */
  public JsonObject toJson() {
    return new JsonObject().put(part.key(), name).put("detail", detail);
  }

  /** Reads an {@code errors} entry back; null if it is not one. */
  public static Violation fromJson(Object entry) {
    if (!(entry instanceof JsonObject json) || !(json.getValue("detail") instanceof String d)) {
      return null;
    }
    for (Part p : Part.values()) {
      if (json.getValue(p.key()) instanceof String n) {
        return new Violation(p, n, d);
      }
    }
    return null;
  }

  /**
   * The violation as a sentence that names what it is about in plain words: {@code
   * items[0].quantity must be between 1 and 99}, {@code the Idempotency-Key header is required},
   * {@code the query parameter lat is required}, {@code the request body is not valid JSON}.
   */
  public String sentence() {
    return subject() + " " + detail;
  }

  private String subject() {
    return switch (part) {
      case HEADER -> "the " + name + " header";
      case PARAMETER -> "the parameter " + name;
      case POINTER -> name.isEmpty() ? "the request body" : field(name);
    };
  }

  /** {@code /items/0/quantity} as {@code items[0].quantity}. */
  private static String field(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String raw : pointer.substring(1).split("/", -1)) {
      String seg = raw.replace("~1", "/").replace("~0", "~");
      if (!seg.isEmpty() && seg.chars().allMatch(Character::isDigit)) {
        out.append('[').append(seg).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(seg);
      }
    }
    return out.toString();
  }
}
